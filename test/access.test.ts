import { describe, expect, it } from 'vitest';
import { parseAdmins, readAudit } from '../src/access/access.js';
import { createBot } from '../src/chat/bot.js';
import { createRateLimiter } from '../src/chat/rate-limit.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { copyKnowledge, openTestBot } from './helpers.js';

async function setup(opts: { admins?: string; rateLimits?: { perUser: number; perConversation: number } } = {}) {
  const t = openTestBot(copyKnowledge());
  await t.engine.refresh();
  const bot = createBot({
    engine: t.engine,
    store: t.store,
    admins: parseAdmins(opts.admins),
    ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
  });
  return { ...t, bot };
}

describe('roles and audit', () => {
  it('lets only admins subscribe a channel where admins are configured, and audits both outcomes', async () => {
    const { bot, store } = await setup({ admins: 'slack:U0ADMIN' });
    const refused = await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0INTERN', text: 'subscribe daily 09:00 UTC' });
    expect(refused.intent).toBe('denied');
    const ok = await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0ADMIN', text: 'subscribe daily 09:00 UTC' });
    expect(ok.text).toContain('Subscribed');
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0INTERN', text: 'unsubscribe' })).intent).toBe('denied');
    const audit = await readAudit(createSqliteState(store));
    expect(audit.map((a) => [a.actor, a.action, a.place])).toEqual([
      ['slack:U0INTERN', 'unsubscribe-denied', 'C0SEC'],
      ['slack:U0ADMIN', 'subscribe', 'C0SEC'],
      ['slack:U0INTERN', 'subscribe-denied', 'C0SEC'],
    ]);
    expect(audit[1]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('with many Slack workspaces, keeps admins and clearances per workspace; an unqualified admin counts in every one', async () => {
    const { bot } = await setup({ admins: 'slack:T0ONE/U0LOCAL,slack:U0GLOBAL' });
    const say = (team: string, user: string, text: string, conversation = 'C0SHARED') =>
      bot.handle({ platform: 'slack', team, conversation, user, text });
    // U0LOCAL is an admin in T0ONE only; U0GLOBAL in both.
    expect((await say('T0ONE', 'U0LOCAL', 'clearance amber')).text).toContain('TLP:AMBER');
    expect((await say('T0TWO', 'U0LOCAL', 'clearance amber')).intent).toBe('denied');
    expect((await say('T0TWO', 'U0GLOBAL', 'clearance green')).text).toContain('TLP:GREEN');
    // The same channel id in two workspaces has two clearances.
    expect((await say('T0ONE', 'U0ANY', 'clearance')).text).toContain('Clearance: TLP:AMBER');
    expect((await say('T0TWO', 'U0ANY', 'clearance')).text).toContain('Clearance: TLP:GREEN');
    // Single-workspace mode (no team) does not see the workspaces' clearances, nor count a workspace's admin.
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SHARED', user: 'U0ANY', text: 'clearance' })).text).toContain(
      'Clearance: TLP:CLEAR',
    );
    expect(
      (await bot.handle({ platform: 'slack', conversation: 'C0SHARED', user: 'U0LOCAL', text: 'subscribe daily 09:00 UTC' })).intent,
    ).toBe('denied');
  });

  it('with many Slack workspaces, leaves a workspace without any admin of its own or unqualified one open to all, as one workspace is', async () => {
    const { bot } = await setup({ admins: 'slack:T0ONE/U0LOCAL' });
    const subscribe = (team: string, user: string) =>
      bot.handle({ platform: 'slack', team, conversation: `C0${team}`, user, text: 'subscribe daily 09:00 UTC' });
    expect((await subscribe('T0ONE', 'U0ANY')).intent).toBe('denied');
    expect((await subscribe('T0TWO', 'U0ANY')).text).toContain('Subscribed');
  });

  it('lets anyone manage subscriptions on a platform without admins, still audited', async () => {
    const { bot, store } = await setup({ admins: 'slack:U0ADMIN' });
    expect(
      (await bot.handle({ platform: 'teams', conversation: '19:x', user: 'anyone', text: 'subscribe daily 09:00 UTC' })).text,
    ).toContain('Subscribed');
    expect((await readAudit(createSqliteState(store)))[0]).toMatchObject({ platform: 'teams', actor: 'teams:anyone', action: 'subscribe' });
  });

  it('changes a clearance only for admins; a DM sets the admin’s own clearance', async () => {
    const { bot, store } = await setup({ admins: 'slack:U0ADMIN' });
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0INTERN', text: 'clearance amber' })).intent).toBe(
      'denied',
    );
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0ADMIN', text: 'clearance amber' })).text).toContain(
      'TLP:AMBER',
    );
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0INTERN', text: 'clearance' })).text).toContain(
      'Clearance: TLP:AMBER',
    );
    expect((await bot.handle({ platform: 'slack', conversation: 'C0OTHER', user: 'U0INTERN', text: 'clearance' })).text).toContain(
      'Clearance: TLP:CLEAR',
    );
    await bot.handle({ platform: 'slack', conversation: 'D0ADMIN', user: 'U0ADMIN', direct: true, text: 'clearance red' });
    expect(
      (await bot.handle({ platform: 'slack', conversation: 'D0ADMIN', user: 'U0ADMIN', direct: true, text: 'clearance' })).text,
    ).toContain('TLP:RED');
    expect((await bot.handle({ platform: 'slack', conversation: 'C0SEC', user: 'U0ADMIN', text: 'clearance purple' })).text).toContain(
      'not a TLP level',
    );
    expect((await readAudit(createSqliteState(store))).map((a) => a.action)).toEqual([
      'clearance-set',
      'clearance-set',
      'clearance-denied',
    ]);
  });
});

describe('rate limits', () => {
  it('answers a friendly "one moment" past the per-user limit, then recovers', () => {
    let t = 0;
    const limiter = createRateLimiter(3, () => t);
    expect([limiter.take('u'), limiter.take('u'), limiter.take('u'), limiter.take('u')]).toEqual([true, true, true, false]);
    expect(limiter.retryAfterSeconds('u')).toBe(20);
    t += 20_000;
    expect(limiter.take('u')).toBe(true);
    expect(limiter.take('other')).toBe(true);
  });

  it('limits per user and per conversation in the bot', async () => {
    const { bot } = await setup({ rateLimits: { perUser: 2, perConversation: 3 } });
    const ask = (user: string) => bot.handle({ platform: 'slack', conversation: 'C0BUSY', user, text: 'latest' });
    expect((await ask('U1')).intent).toBe('latest');
    expect((await ask('U1')).intent).toBe('latest');
    const slow = await ask('U1');
    expect(slow.intent).toBe('rate-limited');
    expect(slow.text).toMatch(/ask again in about \d+ s/);
    expect((await ask('U2')).intent).toBe('latest');
    expect((await ask('U3')).intent).toBe('rate-limited');
  });
});

describe('threatbrief audit and clearance', () => {
  it('records CLI actions and prints the trail newest first; sets clearances from the shell', async () => {
    const { spawnSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { CLI, KNOWLEDGE, tempDir } = await import('./helpers.js');
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'audit.db'), KNOWLEDGE_DIR: KNOWLEDGE };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
    expect(run('subscribe', '--platform', 'teams', '--conversation', '19:soc', '--schedule', 'daily 08:00').status).toBe(0);
    expect(run('clearance', '--platform', 'slack', '--conversation', 'C0IR', '--level', 'amber').stdout).toContain('set to TLP:AMBER');
    expect(run('clearance', '--platform', 'slack', '--level', 'ultra').stderr).toContain('give exactly one of --conversation');
    const trail = run('audit').stdout.trim().split('\n');
    expect(trail).toHaveLength(2);
    expect(trail[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ {2}cli:\S+ {2}clearance-set {2}cli:slack:C0IR/);
    expect(trail[1]).toMatch(/cli:\S+ {2}subscribe {2}cli:teams:19:soc/);
    const json = JSON.parse(run('audit', '--json', '--limit', '1').stdout) as { action: string; detail: { level: string } };
    expect(json).toMatchObject({ action: 'clearance-set', detail: { level: 'AMBER' } });
  });
});
