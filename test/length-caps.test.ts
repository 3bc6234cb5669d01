import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../adapters/serve.js';
import { createAnswerEngine } from '../src/answer/engine.js';
import type { Reply } from '../src/answer/reply.js';
import { loadServiceConfig } from '../src/app/config.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { LIMITS } from '../src/model/limits.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { CLI, KNOWLEDGE, openTestBot, seededStore, tempDir } from './helpers.js';

const HUGE = 'A'.repeat(100_000);
const TOKEN = 'webhook-token-0123456789abcdef';

let service: RunningService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

function kevEntry(i: number, name: string) {
  return {
    cveID: `CVE-2031-${10000 + i}`,
    vendorProject: 'Vendor',
    product: 'Product',
    vulnerabilityName: name,
    dateAdded: '2031-01-02',
    shortDescription: `Generated vulnerability ${i}.`,
    requiredAction: 'Apply mitigations per vendor instructions.',
    dueDate: '2031-02-01',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
  };
}

function recordingPoster(): Poster & { replies: Reply[] } {
  const replies: Reply[] = [];
  return {
    platform: 'console',
    replies,
    async post(_conversation, reply) {
      replies.push(reply);
    },
  };
}

describe('length caps on what users and feeds send', () => {
  it('refuses an advisory title of 100,000 characters at POST /advisories, naming the field and the cap', async () => {
    const config = loadServiceConfig({
      PORT: '0',
      DATABASE_PATH: seededStore(),
      KNOWLEDGE_DIR: KNOWLEDGE,
      ADVISORY_WEBHOOK_TOKEN: TOKEN,
    });
    service = await startService({ config, logger: pino({ level: 'silent' }), host: '127.0.0.1' });
    const res = await fetch(`http://127.0.0.1:${service.port}/advisories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        id: 'too-long',
        title: HUGE,
        publisher: 'CISA',
        published: '2025-03-01',
        summary: 'x',
        sources: ['mitre-attack-g1017-volt-typhoon'],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: string[] }).problems).toEqual([`body: title: at most ${LIMITS.advisoryTitle} characters`]);
  });

  it('shortens a feed’s 100,000-character field on import (and says so), and the digest still lists every advisory', async () => {
    const dir = tempDir();
    const dbPath = seededStore(join(dir, 'store.db'));
    const kev = join(dir, 'kev.json');
    writeFileSync(
      kev,
      JSON.stringify({
        title: 'Generated catalogue',
        catalogVersion: '2031.01.02',
        dateReleased: '2031-01-02T00:00:00Z',
        count: 3,
        vulnerabilities: [kevEntry(1, 'First vulnerability'), kevEntry(2, HUGE), kevEntry(3, 'Third vulnerability')],
      }),
    );
    const store = new FactStore(openDatabase(dbPath));
    await createAnswerEngine({ store, knowledgeDir: KNOWLEDGE }).refresh();
    const parsed = parseSchedule('daily 00:00 UTC');
    if (!parsed.ok) throw new Error(parsed.error);
    await createSqliteState(store).subscriptions.add(
      { platform: 'console', conversation: 'terminal', schedule: parsed.schedule, filters: [] },
      new Date(Date.now() - 2 * 86_400_000),
    );
    const r = spawnSync(process.execPath, [CLI, 'import', '--format', 'cisa-kev', kev], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: dbPath, KNOWLEDGE_DIR: KNOWLEDGE },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/note: .*shortened/);
    const titles = store.db.prepare("SELECT length(title) FROM advisories WHERE origin LIKE 'import:%'").pluck().all() as number[];
    expect(Math.max(...titles)).toBeLessThanOrEqual(LIMITS.advisoryTitle);

    const poster = recordingPoster();
    const report = await runDigestPass({ store, posters: [poster], at: new Date() });
    expect(report.sent).toBe(1);
    const digest = poster.replies[0]!;
    expect(digest.card.title).toContain('3 new advisories');
    expect(digest.text).toContain('First vulnerability');
    expect(digest.text).toContain('Third vulnerability');
    expect(digest.text.length).toBeLessThan(8000);
    store.db.close();
  });

  it('keeps a digest readable even when a stored title predates the cap', async () => {
    const { store } = openTestBot();
    const parsed = parseSchedule('daily 00:00 UTC');
    if (!parsed.ok) throw new Error(parsed.error);
    await createSqliteState(store).subscriptions.add(
      { platform: 'console', conversation: 'terminal', schedule: parsed.schedule, filters: [] },
      new Date(Date.now() - 2 * 86_400_000),
    );
    for (const [id, title] of [
      ['old-long', HUGE],
      ['old-short', 'A short title'],
    ])
      store.addAdvisory(
        { id: id!, title: title!, publisher: 'CISA', published: '2025-01-01', summary: 's', entities: [], severity: 'high', sources: [] },
        'test',
        new Date(),
      );
    const poster = recordingPoster();
    await runDigestPass({ store, posters: [poster], at: new Date() });
    const text = poster.replies[0]!.text;
    expect(text).toContain('A short title');
    expect(text.length).toBeLessThan(8000);
  });

  it('refuses a subscription with too many or too long filters', async () => {
    const { store, engine } = openTestBot();
    const bot = createBot({ engine, store });
    const ask = (text: string) => bot.handle({ platform: 'slack', conversation: 'C0CAPS', user: 'U0CAPS', text });
    const many = Array.from({ length: LIMITS.subscriptionFilters + 1 }, (_, i) => `word${i}`).join(', ');
    expect((await ask(`subscribe daily 09:00 UTC about ${many}`)).text).toMatch(/at most \d+ filters/);
    expect((await ask(`subscribe daily 09:00 UTC about ${'x'.repeat(LIMITS.filterChars + 1)}`)).text).toMatch(/at most \d+ characters/);
    expect(await createSqliteState(store).subscriptions.forConversation('slack', 'C0CAPS')).toEqual([]);
    for (let i = 0; i < LIMITS.subscriptionsPerConversation; i++) await ask(`subscribe daily ${String(i).padStart(2, '0')}:00 UTC`);
    expect((await ask('subscribe daily 23:30 UTC')).card.title).toBe('Too many subscriptions here');
    expect(await createSqliteState(store).subscriptions.forConversation('slack', 'C0CAPS')).toHaveLength(
      LIMITS.subscriptionsPerConversation,
    );
  });
});
