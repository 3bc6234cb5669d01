import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsAdapter, type TeamsAdapter } from '../adapters/teams/adapter.js';
import { teamsCommands } from '../adapters/teams/app-manifest.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { startFakeConnector, teamsActivity } from './doubles/fake-connector.js';
import { openTestBot, type TestBot } from './helpers.js';

let connector: Awaited<ReturnType<typeof startFakeConnector>>;
let server: Server;
let url: string;
let bot: TestBot;
let teams: TeamsAdapter;
const logger = pino({ level: 'silent' });

async function serve(b: TestBot) {
  teams = createTeamsAdapter({
    bot: createBot({ engine: b.engine, store: b.store }),
    db: b.store.db,
    logger,
    config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
  });
  server = createServer((req, res) =>
    req.url === '/api/messages' && req.method === 'POST' ? teams.requestListener(req, res) : res.writeHead(404).end(),
  );
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
}

beforeEach(async () => {
  connector = await startFakeConnector();
  bot = openTestBot();
  await bot.engine.refresh();
  await serve(bot);
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await connector.close();
});

async function post(body: unknown, raw?: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** What a Teams user sees of post i: the card's JSON (every text in it). */
function shown(i = 0): string {
  return JSON.stringify(cardOf(i));
}

function cardOf(i = 0) {
  const a = connector.posts[i]!.activity;
  expect(a.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return a.attachments![0]!.content as {
    version: string;
    body: unknown[];
    actions?: { type: string; title: string; data: { command: string } }[];
  };
}

describe('Teams at POST /api/messages', () => {
  it('answers a personal-chat question with an Adaptive Card 1.5 carrying citations', async () => {
    expect((await post(teamsActivity(connector.url))).status).toBe(200);
    expect(connector.posts).toHaveLength(1);
    const { activity, conversationId, replyToId } = connector.posts[0]!;
    expect(conversationId).toBe('a:personal-1');
    expect(replyToId).toMatch(/^act-/);
    // The card alone, with a one-line summary: the answer is not sent twice.
    expect(activity.text).toBeUndefined();
    expect(activity.summary).toMatch(/^Flax Typhoon is Microsoft's name for a Chinese state-sponsored cyber group/);
    expect((activity.summary as string).length).toBeLessThanOrEqual(200);
    const card = cardOf();
    expect(card.version).toBe('1.5');
    const json = JSON.stringify(card);
    expect(json).toContain('Storm-0919');
    expect(json).toContain('Action.OpenUrl');
    expect(json).toMatch(/\[1\] /);
  });

  it('answers a channel @mention with the mention stripped', async () => {
    await post(
      teamsActivity(connector.url, {
        text: '<at>ThreatBrief</at> is Integrity Tech sanctioned?',
        entities: [{ type: 'mention', text: '<at>ThreatBrief</at>', mentioned: { id: '28:bot-1', name: 'ThreatBrief' } }],
        conversation: { id: '19:channel@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 'tenant-1' },
      }),
    );
    expect(connector.posts[0]!.activity.summary).toMatch(/Yes — Integrity Technology Group/);
    expect(JSON.stringify(cardOf())).toContain('3 January 2025');
  });

  it('offers disambiguation as buttons whose click answers for that entity', async () => {
    await post(teamsActivity(connector.url, { text: 'who is Typhoon?' }));
    const choices = cardOf().actions!;
    expect(choices.map((a) => a.type)).toEqual(choices.map(() => 'Action.Submit'));
    const salt = choices.find((c) => c.title.startsWith('Salt Typhoon'))!;
    await post(teamsActivity(connector.url, { text: undefined, value: salt.data }));
    expect(shown(1)).toContain('G1045');
  });

  it('lists every disambiguation choice in the card body, in full, beside the buttons', async () => {
    await post(teamsActivity(connector.url, { text: 'who is Typhoon?' }));
    const card = cardOf();
    const body = JSON.stringify(card.body);
    const typhoons = ['Flax Typhoon', 'Volt Typhoon', 'Salt Typhoon', 'Silk Typhoon'];
    for (const name of typhoons) expect(body).toContain(`• ${name} (Threat actor)`);
    for (const a of card.actions!) expect(body).toContain(a.data.command);
  });

  it('answers each command-menu entry of the Teams manifest sent as it is, never with “no record of”', async () => {
    const menu = teamsCommands().map((c) => c.title);
    expect(menu).toContain('sanctions');
    for (const title of menu)
      await post(
        teamsActivity(connector.url, {
          text: title,
          conversation: { id: `a:menu-${title}`, conversationType: 'personal', tenantId: 'tenant-1' },
        }),
      );
    expect(connector.posts).toHaveLength(menu.length);
    for (const [i, title] of menu.entries()) {
      expect(shown(i), title).not.toMatch(/no record of/i);
      expect(shown(i), title).not.toMatch(/something went wrong/i);
    }
    const sanctions = cardOf(menu.indexOf('sanctions'));
    expect(JSON.stringify(sanctions.body)).toContain('is <name> sanctioned?');
    // Its example is a button that asks it.
    await post(teamsActivity(connector.url, { text: undefined, value: sanctions.actions![0]!.data }));
    expect(connector.posts.at(-1)!.activity.summary).toMatch(/Yes — Integrity Technology Group/);
  });

  it('ignores its own messages and other bots', async () => {
    await post(teamsActivity(connector.url, { from: { id: '28:bot-1', name: 'ThreatBrief' } }));
    await post(teamsActivity(connector.url, { from: { id: '28:other', name: 'Other bot', role: 'bot' } }));
    expect(connector.posts).toEqual([]);
  });

  it('answers help and latest like every other platform', async () => {
    await post(teamsActivity(connector.url, { text: 'help' }));
    await post(teamsActivity(connector.url, { text: 'latest' }));
    expect(shown(0)).toContain('is <name> sanctioned?');
    expect(JSON.stringify(connector.posts[1]!.activity.attachments)).toContain('Latest advisories');
  });

  it('refuses malformed bodies with a 400 and keeps serving', async () => {
    expect((await post(undefined, '{not json')).status).toBe(400);
    expect((await post(undefined, '[1,2]')).status).toBe(400);
    expect((await post({ text: 'no type' })).status).toBe(400);
    expect((await post(teamsActivity(connector.url))).status).toBe(200);
    expect(connector.posts).toHaveLength(1);
  });

  it('echoes user text literally: no markdown link or mention can be forged', async () => {
    await post(teamsActivity(connector.url, { text: 'who is [Flax Typhoon](https://evil.example) <at>everyone</at>?' }));
    const json = JSON.stringify(cardOf());
    expect(json).not.toMatch(/"type":"TextBlock"/);
    expect(json).not.toContain('evil.example"');
  });

  it('keeps conversation references in SQLite and sends digests proactively after a restart', async () => {
    await post(
      teamsActivity(connector.url, {
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: '28:bot-1' }],
        conversation: { id: '19:team@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' },
      }),
    );
    await post(
      teamsActivity(connector.url, {
        text: 'subscribe daily 09:00 UTC',
        conversation: { id: '19:team@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' },
      }),
    );
    bot.store.addAdvisory(
      {
        id: 'adv-t',
        title: 'Teams advisory',
        publisher: 'CISA',
        published: '2025-02-01',
        summary: 's',
        entities: ['flax-typhoon'],
        severity: 'high',
        sources: ['treasury-jy2769'],
      },
      'test',
      new Date(),
    );
    bot.store.db.close();

    // A new process: new store handle, new adapter; only SQLite remembers the conversation.
    const store = new FactStore(openDatabase(bot.dbPath));
    const restarted = createTeamsAdapter({
      bot: createBot({ engine: bot.engine, store }),
      db: store.db,
      logger,
      config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
    });
    const at = new Date(Date.now() + 24 * 3600_000);
    const report = await runDigestPass({ store, posters: [restarted.poster], at });
    expect(report).toMatchObject({ sent: 1, pending: 0 });
    const digest = connector.posts.at(-1)!;
    expect(digest.conversationId).toBe('19:team@thread.tacv2');
    expect(JSON.stringify(digest.activity.attachments)).toContain('Teams advisory');
    store.db.close();
  });
});
