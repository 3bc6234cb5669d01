import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../adapters/slack/block-kit.js';
import { replyActivity } from '../adapters/teams/adapter.js';
import type { Reply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { openTestBot, ROOT, type TestBot, tempDir } from './helpers.js';

function importFeed(bot: TestBot, path: string) {
  const parsed = readFeed([path]);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, new Date('2025-09-01T12:00:00Z'));
}

/** What a reader sees of a reply on each platform (the card, not the notification summary). */
function everywhere(reply: Reply): Record<string, string> {
  const teams = replyActivity(reply).attachments![0]!.content as { body: unknown };
  return { text: reply.text, slack: JSON.stringify(renderReply(reply).blocks), teams: JSON.stringify(teams.body) };
}

const count = (text: string, what: string) => text.toLowerCase().split(what.toLowerCase()).length - 1;

describe('citation numbers', () => {
  // Each of these once showed a later source's number before an earlier one ("[2][1]").
  it.each([
    'who is behind the KV botnet?',
    'what was the botnet takedown in september 2024',
    'was salt typhoon behind the treasury breach',
    "what's the cyber national mission force",
  ])('appear in ascending order of first use: %s', async (question) => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const body = (await bot.engine.answer(question)).text.split('\nSources:')[0]!;
    const groups = [...body.matchAll(/(?:\[\d+\])+/g)].map((m) => [...m[0].matchAll(/\d+/g)].map(Number));
    expect(groups.length).toBeGreaterThan(0);
    let highest = 0;
    for (const group of groups) {
      expect(group).toEqual([...group].sort((a, b) => a - b));
      for (const n of group) {
        expect(n).toBeLessThanOrEqual(highest + 1);
        highest = Math.max(highest, n);
      }
    }
  });
});

describe('profiles', () => {
  it('say what an entity is once: no "Threat actor" beside a direct answer that says "a threat actor"', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    importFeed(bot, join(ROOT, 'feeds', 'microsoft-mstic', 'MicrosoftMapping.json'));
    await bot.engine.refresh();
    const reply = await bot.engine.answer('who is Aqua Blizzard?');
    expect(reply.text).toMatch(/^Aqua Blizzard is Microsoft's name for a threat actor/);
    // Once in the answer; a source's title may say it too (“Microsoft threat actor naming table”).
    const inSources = reply.citations.filter((c) => /threat actor/i.test(c.title)).length;
    for (const [where, shown] of Object.entries(everywhere(reply))) expect(count(shown, 'threat actor'), where).toBe(1 + inSources);
  });

  it('keep the type beside the title when the direct answer does not say it', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const reply = await bot.engine.answer('who is Flax Typhoon?');
    expect(reply.card.subtitle).toBe('Threat actor');
    expect(count(everywhere(reply).slack!, 'Threat actor')).toBe(1);
  });
});

describe('digests', () => {
  async function digestOf(bot: TestBot): Promise<Reply> {
    const posts: Reply[] = [];
    const poster: Poster = {
      platform: 'slack',
      async post(_conversation, reply) {
        posts.push(reply);
      },
    };
    const report = await runDigestPass({ store: bot.store, posters: [poster], at: new Date('2025-09-02T09:00:00Z') });
    expect(report.sent).toBe(1);
    return posts[0]!;
  }

  it('of 20 KEV entries name the catalog’s address once, not twenty times, and each entry once', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const chat = createBot({ engine: bot.engine, store: bot.store, now: () => new Date('2025-09-01T08:00:00Z') });
    await chat.handle({ platform: 'slack', conversation: 'C0KEV', text: 'subscribe daily 09:00 UTC' });
    const catalog = JSON.parse(
      gunzipSync(readFileSync(join(ROOT, 'feeds', 'cisa-kev', 'known_exploited_vulnerabilities.json.gz'))).toString('utf8'),
    ) as {
      count: number;
      vulnerabilities: { cveID: string }[];
    };
    catalog.vulnerabilities = catalog.vulnerabilities.slice(0, 20);
    catalog.count = 20;
    const path = join(tempDir(), 'kev-20.json');
    writeFileSync(path, JSON.stringify(catalog));
    importFeed(bot, path);

    const digest = await digestOf(bot);
    expect(digest.card.title).toBe('ThreatBrief digest — 20 new advisories');
    const url = 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog';
    for (const [where, shown] of Object.entries(everywhere(digest))) expect(count(shown, url), where).toBe(1);
    for (const { cveID } of catalog.vulnerabilities) expect(count(digest.text, cveID), cveID).toBe(1);
  });

  it('show each advisory’s own address when the advisories of a publisher do not share one', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const chat = createBot({ engine: bot.engine, store: bot.store, now: () => new Date('2025-09-01T08:00:00Z') });
    await chat.handle({ platform: 'slack', conversation: 'C0ADV', text: 'subscribe daily 09:00 UTC' });
    for (const n of [1, 2])
      bot.store.addAdvisory(
        {
          id: `adv-${n}`,
          title: `Advisory ${n}`,
          publisher: 'CISA',
          published: '2025-09-01',
          summary: 's',
          url: `https://example.org/advisory-${n}`,
          entities: [],
          severity: 'high',
          sources: ['treasury-jy2769'],
        },
        'test',
        new Date('2025-09-01T08:30:00Z'),
      );
    const digest = await digestOf(bot);
    expect(digest.text).toContain('Advisory 1, 1 September 2025 — https://example.org/advisory-1');
    expect(digest.text).toContain('Advisory 2, 1 September 2025 — https://example.org/advisory-2');
  });
});
