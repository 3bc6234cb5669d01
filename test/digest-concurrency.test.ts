import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/answer/reply.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { startDigestScheduler } from '../src/digest/scheduler.js';
import { FactStore, type NewAdvisory } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { CLI, KNOWLEDGE, tempDir } from './helpers.js';

function advisory(i: number): NewAdvisory {
  return {
    id: `bulk-${i}`,
    title: `Bulk advisory number ${i}`,
    publisher: 'CISA',
    published: '2025-01-10',
    summary: `About ${i}.`,
    entities: [],
    severity: 'high',
    sources: [],
  };
}

/** Records posts; each takes `delayMs`, so that two schedulers overlap. */
function recordingPoster(posts: { conversation: string; reply: Reply; by: string }[], by: string, delayMs = 0): Poster {
  return {
    platform: 'console',
    async post(conversation, reply) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      posts.push({ conversation, reply, by });
    },
  };
}

function subscribe(store: FactStore, conversation: string, created = new Date(Date.now() - 2 * 86_400_000)) {
  const parsed = parseSchedule('daily 00:00 UTC');
  if (!parsed.ok) throw new Error(parsed.error);
  return createSqliteState(store).subscriptions.add({ platform: 'console', conversation, schedule: parsed.schedule, filters: [] }, created);
}

describe('a huge batch of new advisories', () => {
  it('gives the true count of 10,050, newest first, and leaves nothing behind the cursor', async () => {
    const store = new FactStore(openDatabase(join(tempDir(), 'bulk.db')));
    await subscribe(store, 'terminal');
    // As a big import would leave them: 10,050 rows with consecutive sequence numbers.
    store.db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
      INSERT INTO advisories (id, seq, title, publisher, published, summary, entities, severity, sources, origin, added_at)
      SELECT 'bulk-' || i, i, 'Bulk advisory number ' || i, 'CISA', '2025-01-10', 'About ' || i || '.', '[]', 'high', '[]', 'test', '2025-01-10T00:00:00Z' FROM n;
      INSERT INTO meta (key, value) VALUES ('advisory_seq', '10050');
    `);
    const posts: { conversation: string; reply: Reply; by: string }[] = [];
    await runDigestPass({ store, posters: [recordingPoster(posts, 'a')], at: new Date() });
    expect(posts).toHaveLength(1);
    const digest = posts[0]!.reply;
    expect(digest.card.title).toBe('ThreatBrief digest — 10,050 new advisories');
    const shown = digest.text.split('\n').filter((l) => l.includes('Bulk advisory number'));
    expect(shown[0]).toContain('Bulk advisory number 10050');
    expect(shown[1]).toContain('Bulk advisory number 10049');
    expect(digest.text).toMatch(/and 10,030 more/);
    // Nothing new since: the next pass has nothing to say, and nothing was skipped.
    const again = await runDigestPass({ store, posters: [recordingPoster(posts, 'a')], at: new Date(Date.now() + 86_400_000) });
    expect(again.queued).toBe(0);
    store.db.close();
  });
});

describe('two schedulers on one store', () => {
  it('post each digest once: one holds the lease, and each outbox row is claimed atomically', async () => {
    const path = join(tempDir(), 'two.db');
    const a = new FactStore(openDatabase(path));
    const b = new FactStore(openDatabase(path));
    for (let i = 0; i < 5; i++) await subscribe(a, `conversation-${i}`);
    a.addAdvisory(advisory(1), 'test', new Date());
    const posts: { conversation: string; reply: Reply; by: string }[] = [];
    const first = startDigestScheduler({ store: a, posters: [recordingPoster(posts, 'a', 20)] });
    const second = startDigestScheduler({ store: b, posters: [recordingPoster(posts, 'b', 20)] });
    await Promise.all([first.runNow(), second.runNow(), first.runNow(), second.runNow()]);
    await Promise.all([first.stop(), second.stop()]);
    expect(posts.map((p) => p.conversation).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `conversation-${i}`));
    expect(new Set(posts.map((p) => p.by)).size).toBe(1);
    a.db.close();
    b.db.close();
  });

  it('even a pass run directly beside a running scheduler never posts a digest twice', async () => {
    const path = join(tempDir(), 'claims.db');
    const a = new FactStore(openDatabase(path));
    const b = new FactStore(openDatabase(path));
    for (let i = 0; i < 5; i++) await subscribe(a, `conversation-${i}`);
    a.addAdvisory(advisory(1), 'test', new Date());
    const posts: { conversation: string; reply: Reply; by: string }[] = [];
    const at = new Date();
    await Promise.all([
      runDigestPass({ store: a, posters: [recordingPoster(posts, 'a', 15)], at }),
      runDigestPass({ store: b, posters: [recordingPoster(posts, 'b', 15)], at }),
    ]);
    expect(posts.map((p) => p.conversation).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `conversation-${i}`));
    a.db.close();
    b.db.close();
  });

  it('`digest run` while another scheduler holds the lease waits briefly, then exits non-zero with a clear message', async () => {
    const path = join(tempDir(), 'held.db');
    const store = new FactStore(openDatabase(path));
    expect(await createSqliteState(store).leases.acquire('digest-scheduler', 'serve-elsewhere:4242:abcd', 60_000)).toBe(true);
    const r = await new Promise<{ code: number; stderr: string; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, 'digest', 'run', '--wait', '1'],
        { env: { ...process.env, DATABASE_PATH: path, KNOWLEDGE_DIR: KNOWLEDGE }, encoding: 'utf8' },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/another digest scheduler \(serve-elsewhere:4242:abcd\) holds the lease until .*; no pass was run/);
    expect(r.stdout).toBe('');
    store.db.close();
  });
});
