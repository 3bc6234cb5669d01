import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../adapters/slack/block-kit.js';
import { parseAdmins } from '../src/access/access.js';
import type { Reply } from '../src/answer/reply.js';
import { tlpFromStixMarkings } from '../src/base/tlp.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { copyKnowledge, openTestBot } from './helpers.js';
import { CHANNEL, type SlackHarness, startSlackHarness } from './slack-harness.js';

const SECRET_CLAIM = 'Example Panda reuses a private AMBER-only loader.';
const SECRET_ENTITY = 'Secret Panda';
const SECRET_ADVISORY = 'AMBER advisory about Example Panda';

/** The mini knowledge plus content marked TLP:AMBER: a claim, an entity and an advisory. */
function amberKnowledge(): string {
  const dir = copyKnowledge();
  writeFileSync(
    join(dir, 'entities', 'example-panda.yaml'),
    `id: example-panda
type: threat-actor
name: Example Panda
summary: Example Panda is a fictional actor used in tests.
summary_sources: [acme-report]
claims:
  - predicate: tooling
    text: ${SECRET_CLAIM}
    sources: [acme-report]
    tlp: AMBER
  - predicate: tooling
    text: Example Panda uses a public web shell.
    sources: [acme-report]
`,
  );
  writeFileSync(
    join(dir, 'entities', 'secret-panda.yaml'),
    `id: secret-panda\ntype: threat-actor\nname: ${SECRET_ENTITY}\nsummary: Shared under AMBER only.\nsummary_sources: [acme-report]\ntlp: AMBER\n`,
  );
  writeFileSync(
    join(dir, 'advisories', 'amber-advisory.yaml'),
    `id: amber-advisory\ntitle: ${SECRET_ADVISORY}\npublisher: Example Agency\npublished: "2024-06-01"\nsummary: Partner-only.\nentities: [example-panda]\nsources: [acme-report]\ntlp: AMBER\n`,
  );
  return dir;
}

async function amberBot() {
  const t = openTestBot(amberKnowledge());
  expect(await t.engine.refresh()).toEqual([]);
  const bot = createBot({ engine: t.engine, store: t.store, admins: parseAdmins('slack:U0ADMIN') });
  return { ...t, bot };
}

const leaks = (r: Reply) => [SECRET_CLAIM, SECRET_ENTITY, SECRET_ADVISORY].filter((s) => JSON.stringify(r).includes(s));

describe('TLP: nothing above a conversation’s clearance is shown there', () => {
  it('answers in a CLEAR channel without the AMBER fact, and says more is available in a DM', async () => {
    const { bot } = await amberBot();
    const reply = await bot.handle({
      platform: 'slack',
      conversation: 'C0PUBLIC',
      user: 'U0USER',
      text: 'what tools does Example Panda use?',
    });
    expect(reply.text).toContain('Example Panda uses a public web shell.');
    expect(leaks(reply)).toEqual([]);
    expect(reply.text).toMatch(/1 more item is marked above TLP:CLEAR.*direct message/);
  });

  it('answers in a DM up to the user’s clearance', async () => {
    const { bot } = await amberBot();
    const dm = { platform: 'slack', conversation: 'D0ANALYST', user: 'U0ANALYST', direct: true };
    expect(leaks(await bot.handle({ ...dm, text: 'what tools does Example Panda use?' }))).toEqual([]);
    await bot.handle({ platform: 'slack', conversation: 'D0ADMIN', user: 'U0ADMIN', direct: true, text: 'clearance amber' });
    expect(
      leaks(
        await bot.handle({
          platform: 'slack',
          conversation: 'D0ADMIN',
          user: 'U0ADMIN',
          direct: true,
          text: 'what tools does Example Panda use?',
        }),
      ),
    ).toEqual([SECRET_CLAIM]);
  });

  it('shows an AMBER channel its AMBER facts once an admin set its clearance', async () => {
    const { bot } = await amberBot();
    await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0ADMIN', text: 'clearance amber' });
    expect(
      (await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0USER', text: 'what tools does Example Panda use?' })).text,
    ).toContain(SECRET_CLAIM);
  });

  it('never offers or names an AMBER entity in a CLEAR channel’s disambiguation', async () => {
    const { bot } = await amberBot();
    const reply = await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0USER', text: 'who is panda?' });
    expect(leaks(reply)).toEqual([]);
    expect(
      (await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0USER', text: 'who is Secret Panda?' })).text,
    ).not.toContain('Shared under AMBER');
  });

  it('answers a guessed AMBER name in a CLEAR channel exactly as a name it has never heard of', async () => {
    const { bot } = await amberBot();
    const ask = async (text: string) => (await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0USER', text })).text;
    const guessed = await ask(`who is ${SECRET_ENTITY}?`);
    expect(guessed).toBe((await ask('who is Hidden Panda?')).replaceAll('Hidden Panda', SECRET_ENTITY));
    expect(guessed).not.toMatch(/marked above TLP|more item/);
    expect(await ask(`is ${SECRET_ENTITY} sanctioned?`)).toBe(
      (await ask('is Hidden Panda sanctioned?')).replaceAll('Hidden Panda', SECRET_ENTITY),
    );
  });

  it('keeps AMBER advisories out of a CLEAR channel’s latest list and digest', async () => {
    const { bot, store } = await amberBot();
    expect(leaks(await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0USER', text: 'latest' }))).toEqual([]);
    await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0ADMIN', text: 'subscribe daily 09:00 UTC' });
    await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0ADMIN', text: 'subscribe daily 09:00 UTC' });
    await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0ADMIN', text: 'clearance amber' });
    store.addAdvisory(
      {
        id: 'amber-2',
        title: 'AMBER advisory about Example Panda, again',
        publisher: 'X',
        published: '2025-01-01',
        summary: 's',
        entities: [],
        severity: 'high',
        sources: ['acme-report'],
        tlp: 'AMBER',
      },
      'webhook',
      new Date(),
    );
    store.addAdvisory(
      {
        id: 'clear-2',
        title: 'Public advisory',
        publisher: 'X',
        published: '2025-01-01',
        summary: 's',
        entities: [],
        severity: 'high',
        sources: ['acme-report'],
      },
      'webhook',
      new Date(),
    );
    const posts: { conversation: string; reply: Reply }[] = [];
    const poster: Poster = { platform: 'slack', post: async (conversation, reply) => void posts.push({ conversation, reply }) };
    await runDigestPass({ store, posters: [poster], at: new Date(Date.now() + 86_400_000) });
    const pub = posts.find((p) => p.conversation === 'C0PUBLIC')!;
    const ir = posts.find((p) => p.conversation === 'C0IR')!;
    expect(pub.reply.text).toContain('Public advisory');
    expect(pub.reply.text).not.toContain('AMBER advisory');
    expect(pub.reply.text).toContain('1 more item is marked above TLP:CLEAR');
    expect(ir.reply.text).toContain('AMBER advisory about Example Panda, again');
  });

  it('maps STIX TLP marking definitions (1.0 and 2.0) onto TLP 2.0, taking the strictest', () => {
    expect(tlpFromStixMarkings(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'])).toBe('CLEAR');
    expect(tlpFromStixMarkings(['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'])).toBe('AMBER');
    expect(
      tlpFromStixMarkings([
        'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
        'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      ]),
    ).toBe('AMBER+STRICT');
    expect(tlpFromStixMarkings(undefined)).toBe('CLEAR');
  });
});

describe('TLP through the Slack share button', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    const t = openTestBot(amberKnowledge());
    await t.engine.refresh();
    h = await startSlackHarness({ engine: t.engine });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('shares into a CLEAR channel without the AMBER fact', async () => {
    await h.click({ action_id: ACTIONS.share, value: 'what tools does Example Panda use?' }, { ephemeral: true });
    await h.settle();
    const shared = JSON.stringify(h.delivered());
    expect(shared).toContain('public web shell');
    expect(shared).not.toContain('AMBER-only loader');
    expect(CHANNEL.startsWith('D')).toBe(false);
  });
});

describe('TLP of imported STIX objects', () => {
  it('keeps an object marked TLP:AMBER out of a CLEAR channel and shows it in an AMBER one', async () => {
    const { readFeed } = await import('../src/ingest/read.js');
    const { writeImport } = await import('../src/ingest/write.js');
    const dir = copyKnowledge();
    const file = join(dir, '..', 'amber-bundle.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000001',
        objects: [
          {
            type: 'intrusion-set',
            spec_version: '2.1',
            id: 'intrusion-set--00000000-0000-4000-8000-0000000000a1',
            created: '2025-01-01T00:00:00.000Z',
            modified: '2025-01-01T00:00:00.000Z',
            name: 'Quartz Heron',
            description: 'Partner-only reporting on Quartz Heron.',
            object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
          },
        ],
      }),
    );
    const t = openTestBot(dir);
    await t.engine.refresh();
    const parsed = readFeed([file]);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) writeImport(t.store, parsed.feed, new Date());
    const bot = createBot({ engine: t.engine, store: t.store, admins: parseAdmins('slack:U0ADMIN') });
    const clear = await bot.handle({ platform: 'slack', conversation: 'C0PUBLIC', user: 'U0USER', text: 'who is Quartz Heron?' });
    expect(JSON.stringify(clear)).not.toContain('Partner-only');
    // Hidden entirely: not even a count that would confirm the name exists.
    expect(clear.text).toContain('I have no record of Quartz Heron');
    expect(clear.text).not.toMatch(/TLP|marked/);
    await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0ADMIN', text: 'clearance amber' });
    expect((await bot.handle({ platform: 'slack', conversation: 'C0IR', user: 'U0USER', text: 'who is Quartz Heron?' })).text).toContain(
      'Partner-only',
    );
  });
});
