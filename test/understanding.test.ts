import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/chat/bot.js';
import { readFeed } from '../src/ingest/read.js';
import { writeImport } from '../src/ingest/write.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { createContextStore } from '../src/understand/context.js';
import { CLI, copyKnowledge, openTestBot, ROOT, type TestBot, tempDir } from './helpers.js';

let t: TestBot;
let n = 0;
/** Asks in a conversation of its own unless one is given. */
const ask = (text: string, conversation = `c${++n}`) =>
  createBot({ engine: t.engine, store: t.store }).handle({ platform: 'slack', conversation, user: 'U1', text });
const first = (text: string) => text.split('\n')[0]!;

beforeAll(async () => {
  t = openTestBot();
  await t.engine.refresh();
});

describe('events are entities', () => {
  it('answers "who hacked the Treasury?" about the December 2024 breach, not the department', async () => {
    const r = await ask('who hacked the Treasury?');
    expect(r.entities[0]?.id).toBe('us-treasury-breach-2024');
    expect(r.text).toMatch(/Silk Typhoon|China state-sponsored/);
    expect(r.text).not.toMatch(/Did you mean/i);
  });

  it('answers "who\'s behind the beyondtrust key theft" with who did the breach, not with BeyondTrust\'s own story', async () => {
    const r = await ask("who's behind the beyondtrust key theft");
    expect(r.entities[0]?.id).toBe('us-treasury-breach-2024');
    expect(first(r.text)).toMatch(/Silk Typhoon|state-sponsored/);
    expect(r.text).toMatch(/state-sponsored/);
  });

  it('answers "what happened with the treasury incident" with the breach', async () => {
    const r = await ask('what happened with the treasury incident');
    expect(r.entities[0]?.id).toBe('us-treasury-breach-2024');
    expect(r.text).toContain('BeyondTrust');
  });

  it('asks which botnet when "the botnet" could be either, and reads it from the conversation when it can', async () => {
    const r = await ask('how many devices did the botnet compromise?');
    expect(r.intent).toBe('clarify');
    expect(r.text).toContain('Which one do you mean');
    expect(r.text).toContain('Raptor Train');
    expect(r.text).toContain('KV Botnet Activity');
    await ask('who is flax typhoon?', 'thread-botnet');
    const later = await ask('when was the botnet taken down?', 'thread-botnet');
    expect(later.text).toContain('18 September 2024');
  });
});

describe('the aspect asked, not the whole profile', () => {
  it.each([
    ['what did Wray say about Flax Typhoon?', /Wray/],
    ['can our bank still do business with Integrity Tech?', /prohibited|blocked|barred/],
    ['what kinds of devices were in the raptor train botnet?', /routers|cameras/],
  ])('%s', async (q, says) => {
    const r = await ask(q);
    expect(r.text).toMatch(says);
    expect(r.intent).not.toBe('profile');
  });
});

describe('several names, relations and premises', () => {
  it('answers "are Integrity Tech and Sichuan Juxinhe both sanctioned?" for each', async () => {
    const r = await ask('are Integrity Tech and Sichuan Juxinhe both sanctioned?');
    expect(first(r.text)).toMatch(/^Yes/);
    expect(r.text).toContain('3 January 2025');
    expect(r.text).toContain('17 January 2025');
    expect(r.text).not.toMatch(/no record/i);
  });

  it('corrects "was Zhou Shuai sanctioned for Salt Typhoon?" instead of confirming it', async () => {
    const r = await ask('was Zhou Shuai sanctioned for Salt Typhoon?');
    expect(first(r.text)).toMatch(/^No — Zhou Shuai was designated .* on 5 March 2025, together with Shanghai Heiying/);
    expect(r.text).toContain('Sichuan Juxinhe');
    expect(r.text).not.toMatch(/^Yes/m);
    expect(r.text).not.toContain('Not stated');
  });

  it('follows "the company behind Flax Typhoon" to Integrity Tech', async () => {
    const r = await ask("is flax typhoon's company sanctioned?");
    expect(r.entities[0]?.id).toBe('integrity-technology-group');
    expect(first(r.text)).toMatch(/^Yes/);
  });

  it('says "I have no record of Tangerine Typhoon" rather than suggesting another Typhoon', async () => {
    const r = await ask('who is Tangerine Typhoon?');
    expect(first(r.text)).toBe('I have no record of Tangerine Typhoon.');
    expect(r.text).not.toMatch(/did you mean|which one/i);
  });

  it.each(['is Integrity Tech on the OFAC list?', 'integrity tech OFAC-listed?', 'can we pay Integrity Tech?'])(
    'takes "%s" down the sanctions path',
    async (q) => {
      const r = await ask(q);
      expect(r.aspect).toBe('sanctions');
      expect(r.text).toContain('3 January 2025');
    },
  );
});

describe('screening against an imported list', () => {
  let listed: TestBot;
  beforeAll(async () => {
    listed = openTestBot();
    await listed.engine.refresh();
    const parsed = readFeed([join(ROOT, 'feeds', 'ofac', 'sdn-sample-2023-03.csv')]);
    if (!parsed.ok) throw new Error('sample SDN did not parse');
    writeImport(listed.store, parsed.feed, new Date('2025-09-01T12:00:00Z'));
  });

  it('lets filler words around an exact listed name change nothing', async () => {
    for (const q of ['is HASSAN, Jamil itself sanctioned? 🙏', 'pls check: is Jamil Hassan sanctioned, behind the scenes?']) {
      const r = await listed.engine.answer(q);
      expect(first(r.text), q).toMatch(/^Yes — listed as “HASSAN, Jamil”/);
    }
  });

  it('says, asked about the list itself, that a 33-entry sample is an extract and not a loaded list', async () => {
    const r = await listed.engine.answer('is the ofac sdn list loaded in here?');
    expect(first(r.text)).toMatch(
      /^No complete sanctions list is loaded: .*the 33 entries of the .*SDN.* extract loaded \(March 2023 edition\)/,
    );
  });

  it('never shows an organisation as listed because its name contains a listed name', async () => {
    const r = await listed.engine.answer('is Federal Security Service Academy sanctioned?');
    expect(r.text).not.toMatch(/^Yes/m);
  });
});

describe('nothing loaded is an error, not a "no"', () => {
  it('says with no sanctions list loaded that it can speak only for the curated designations', async () => {
    const r = await ask('is Acme Widgets Ltd sanctioned?');
    expect(r.text).toContain('no sanctions list is loaded');
    expect(r.text).toContain("can't say");
    expect(r.screening?.outcome).toBe('no-list');
    // A curated designation still answers yes.
    expect(first((await ask('is Integrity Tech sanctioned?')).text)).toMatch(/^Yes/);
  });

  it('answers "is the SDN list loaded?" with what it can speak for, not with a profile of OFAC', async () => {
    for (const q of [
      'is the ofac sdn list loaded in here',
      'can you screen a name against the full sdn list for me',
      'which sanctions lists do you use',
    ]) {
      expect(first((await ask(q)).text), q).toMatch(/^No sanctions list is loaded: I can speak only for the \d+ curated designations/);
    }
  });

  it('exits non-zero from the CLI when no knowledge is loaded', () => {
    const empty = join(tempDir(), 'empty-knowledge');
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'cli.db'), KNOWLEDGE_DIR: empty };
    const r = spawnSync(process.execPath, [CLI, 'ask', 'is Integrity Tech sanctioned?'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no knowledge loaded');
    expect(r.stdout).not.toMatch(/no record/i);
  });
});

describe('follow-ups', () => {
  it.each([
    [['who is flax typhoon?'], 'when was it first reported?', '24 August 2023'],
    [['who is salt typhoon?'], 'what about volt typhoon?', 'critical infrastructure'],
    [['is integrity tech sanctioned?'], 'and its aliases?', 'Yongxin Zhicheng'],
    [['who is typhoon?'], 'the flax one', 'Flax Typhoon'],
    [['who is flax typhoon?'], 'no, I meant volt typhoon', 'Volt Typhoon'],
    [['is Quillfeather Labs sanctioned'], 'ok what about integrity tech', '3 January 2025'],
    [['tell me about the treasury hack'], 'when did treasury find out', '8 December 2024'],
    [['how many raptor train devices were in the us'], 'and germany?', '18,900'],
    [['how many devices were in the botnet'], 'the raptor one', '260,000'],
    [['who is zhou shuai'], 'how is he connected to yin kecheng', 'in collaboration with Yin Kecheng'],
    [['how many raptor train devices were in the us'], 'and in vietnam?', '21,100'],
  ])('after %j, “%s” is read in context', async (before, q, says) => {
    const conversation = `follow-${++n}`;
    for (const b of before) await ask(b, conversation);
    const r = await ask(q, conversation);
    expect(r.text).toContain(says);
    expect(r.text).not.toMatch(/Which one do you mean|I have no record of (it|the flax)/);
  });

  it('keeps threads, users and conversations apart, and a full question starts afresh', async () => {
    const bot = createBot({ engine: t.engine, store: t.store });
    await bot.handle({ platform: 'slack', conversation: 'C1', thread: '1.1', user: 'U1', text: 'who is flax typhoon?' });
    const otherThread = await bot.handle({
      platform: 'slack',
      conversation: 'C1',
      thread: '2.2',
      user: 'U1',
      text: 'when was it first reported?',
    });
    expect(otherThread.text).not.toContain('24 August 2023');
    const otherUser = await bot.handle({
      platform: 'slack',
      conversation: 'C1',
      thread: '1.1',
      user: 'U2',
      text: 'when was it first reported?',
    });
    expect(otherUser.text).not.toContain('24 August 2023');
    const fresh = await bot.handle({ platform: 'slack', conversation: 'C1', thread: '1.1', user: 'U1', text: 'who is volt typhoon?' });
    expect(fresh.entities[0]?.id).toBe('volt-typhoon');
  });

  it('forgets a conversation after 30 idle minutes', async () => {
    let clock = 0;
    const contexts = createContextStore(createSqliteState(t.store), () => clock);
    await contexts.set('k', { entities: ['flax-typhoon'], aspect: 'profile' });
    clock += 29 * 60_000;
    expect((await contexts.get('k'))?.entities).toEqual(['flax-typhoon']);
    clock += 2 * 60_000;
    expect(await contexts.get('k')).toBeUndefined();
  });

  it('continues a conversation from the CLI with --conversation', () => {
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'cli.db'), KNOWLEDGE_DIR: copyKnowledge(join(ROOT, 'knowledge')) };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'ask', ...args], { env, encoding: 'utf8' });
    run('--conversation', 'ticket-7', 'who is flax typhoon?');
    expect(run('--conversation', 'ticket-7', 'when was it first reported?').stdout).toContain('24 August 2023');
    expect(run('when was it first reported?').stdout).not.toContain('24 August 2023');
  });
});

describe('answers that say what is not on record', () => {
  it('says it has no figures for a botnet whose size no source gives, rather than a profile', async () => {
    const r = await ask('how many devices did the kv botnet have');
    expect(first(r.text)).toBe('I have no record of figures for KV Botnet Activity.');
  });

  it('puts every source’s total side by side when the sources disagree', async () => {
    const r = await ask("how big was flax typhoon's botnet");
    expect(first(r.text)).toContain('260,000');
    expect(first(r.text)).toContain('200,000');
  });

  it('reads a misspelt question word as that word, not as a name it does not know', async () => {
    const r = await ask('advisores on apt27?');
    expect(first(r.text)).toBe('I have no record of advisories for APT27.');
  });

  it('answers "what should we patch" for a breach with the vulnerabilities on record with it, not "no record"', async () => {
    const r = await ask('what should we patch for the beyondtrust hack');
    expect(first(r.text)).toContain('CVE-2024-12356');
    expect(r.text).not.toMatch(/no record/i);
  });

  it('still says it has no advice for an event with no vulnerability on record', async () => {
    const r = await ask('what should we do about the raptor train takedown');
    expect(r.text).not.toMatch(/CVE-/);
  });

  it('finds a figure said in other words rather than saying none is on record ("how many devices did the joint advisory count")', async () => {
    const r = await ask('how many devices did the joint advisory count');
    expect(first(r.text)).toContain('260,000');
  });

  it('finds an advisory by its identifier ("when was AA25-239A published"), and says no record of an unknown one', async () => {
    expect(first((await ask('when was AA25-239A published')).text)).toMatch(/^AA25-239A, “.+”, was published on 27 August 2025/);
    expect(first((await ask('what is aa24-038a')).text)).toBe('I have no record of aa24-038a.');
  });

  it('answers with the fact that names both subjects', async () => {
    const r = await ask('since when has the fbi been investigating apt27');
    expect(first(r.text)).toContain('2014');
  });

  it("keeps to the facts that name both subjects, leaving out the first one's other stories", async () => {
    const r = await ask('when did lumen publish on the kv botnet');
    expect(first(r.text)).toContain('13 December 2023');
    expect(r.text).not.toContain('Raptor Train');
  });
});

describe('sanctions questions that are not what they seem', () => {
  it('answers "still sanctioned or was that lifted" (even misspelt) with a yes, not as a false premise', async () => {
    const r = await ask('is integrity tech stil sanctioned or was that lifted');
    expect(first(r.text)).toMatch(/^Yes/);
  });

  it('reads "when did X respond to the sanctions" as a question about the response, not about the listing', async () => {
    const r = await ask('when did integrity tech respond to the sanctions');
    expect(r.text).not.toMatch(/designation by/);
    expect(first(r.text)).toContain('5 January 2025');
    expect(first(r.text)).not.toMatch(/^Yes/);
  });

  it('screens the unknown name in "is X OFAC-listed?", not OFAC', async () => {
    const r = await ask('Is Zorblax Systems OFAC-listed?');
    expect(first(r.text)).toContain('I have no record of Zorblax Systems');
    expect(r.text).toContain('no sanctions list is loaded');
  });
});

describe('attribution', () => {
  it('follows an implant to the botnet it runs on when the implant itself is not attributed', async () => {
    const r = await ask('who is nosedive attributed to');
    expect(first(r.text)).toContain('Raptor Train');
    expect(r.text).toContain('Flax Typhoon');
    expect(r.text).not.toMatch(/no record/);
  });

  it('reads "why did Russia hack the US Treasury" as who did it (China, on record), not as a sanctions question', async () => {
    const r = await ask('why did russia hack the us treasury');
    expect(r.text).toContain('China');
    expect(r.text).not.toMatch(/^Yes|designation of/m);
  });

  it('does not confirm an official attribution that only the press made', async () => {
    const r = await ask('is the treasury breach officially attributed to silk typhoon');
    expect(first(r.text)).toMatch(/^No — I have no record of an official attribution/);
    expect(r.text).toContain('press reporting');
  });

  it('leads a yes with the fact that names the culprit asked about', async () => {
    const r = await ask('was silk typhoon behind the treasury breach?');
    expect(first(r.text)).toMatch(/^Yes — .*Silk Typhoon/);
  });

  it('finds facts by their words when a lower-case phrase names nothing known', async () => {
    const r = await ask('who was behind the telecom provider hacks announced in dec 2024');
    expect(first(r.text)).toContain('Salt Typhoon');
  });
});
