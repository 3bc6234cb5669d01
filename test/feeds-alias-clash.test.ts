import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../src/chat/bot.js';
import { syncFeeds } from '../src/feeds/sync.js';
import { attackBundle } from './doubles/feed-files.js';
import { type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { copyKnowledge, openTestBot } from './helpers.js';

/**
 * A MISP galaxy cluster whose one actor, not Volt Typhoon, lists "Vanguard Panda" among its
 * synonyms — the name ATT&CK gives Volt Typhoon (G1017) as an alias.
 */
function clashingCluster(): Buffer {
  return Buffer.from(
    JSON.stringify({
      name: 'Threat Actor',
      type: 'threat-actor',
      uuid: '7cdff317-a673-4474-84ec-4f1754947823',
      version: 1,
      values: [
        {
          value: 'Lotus Quill',
          uuid: '0b000000-0000-4000-8000-000000000001',
          description: 'A group the galaxy also lists as Vanguard Panda.',
          meta: { synonyms: ['Vanguard Panda'], country: 'CN' },
        },
      ],
    }),
  );
}

let server: FeedServer;
beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/attack.json', { kind: 'file', body: attackBundle() });
  server.serve('/misp.json', { kind: 'file', body: clashingCluster() });
});
afterEach(() => server.close());

describe('an alias two sources give to different actors', () => {
  it.each([
    ['ATT&CK first', ['attack', 'misp'] as const],
    ['MISP first', ['misp', 'attack'] as const],
  ])('is asked back about, listing both, and never merges them (%s)', async (_order, order) => {
    const { store, engine } = openTestBot(copyKnowledge());
    await engine.refresh();
    const overrides = new Map([
      ['attack', `${server.url}/attack.json`],
      ['misp', `${server.url}/misp.json`],
    ]);
    for (const source of order)
      expect(await syncFeeds({ store, only: [source], overrides })).toMatchObject({ ok: true, reports: [{ outcome: 'imported' }] });
    await engine.refresh();

    const holders = store.db
      .prepare(
        "SELECT DISTINCT e.name FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE a.name = 'Vanguard Panda' ORDER BY e.name",
      )
      .pluck()
      .all();
    expect(holders).toEqual(['Lotus Quill', 'Volt Typhoon']);

    const chat = createBot({ engine, store });
    const ask = (text: string) => chat.handle({ platform: 'cli', conversation: 'c', user: 'u', direct: true, text });
    const reply = await ask('who is Vanguard Panda?');
    expect(reply.intent).toBe('clarify');
    expect(reply.text).toMatch(/^Which one do you mean by “Vanguard Panda”: (Volt Typhoon, Lotus Quill|Lotus Quill, Volt Typhoon)\?/);
    expect(reply.entities.map((e) => e.name).sort()).toEqual(['Lotus Quill', 'Volt Typhoon']);
    // Each keeps its own profile: the MISP actor is not given ATT&CK's group, nor the group the MISP actor.
    expect((await ask('who is Lotus Quill?')).text).not.toContain('G1017');
    expect((await ask('who is Volt Typhoon?')).text).not.toContain('Lotus Quill');
  });
});
