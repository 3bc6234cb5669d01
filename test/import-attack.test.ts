import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { KNOWLEDGE, openTestBot, ROOT, type TestBot, tempDir } from './helpers.js';

/** Real objects of ATT&CK v18.1 Enterprise (STIX 2.0): Volt Typhoon, Magic Hound and the revoked Charming Kitten, Lazarus Group, techniques, mitigations, Mimikatz, campaigns, and the relationships among them. */
const MINI = join(ROOT, 'test', 'fixtures', 'attack', 'enterprise-mini.json');

/** The same bundle as STIX 2.1 (attack-stix-data's encoding): spec_version on every object, none on the bundle. */
function reencode21(): string {
  const bundle = JSON.parse(readFileSync(MINI, 'utf8')) as { spec_version?: string; objects: Record<string, unknown>[] };
  delete bundle.spec_version;
  for (const o of bundle.objects) o.spec_version = '2.1';
  const path = join(tempDir(), 'enterprise-mini-2.1.json');
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

async function importAttack(path = MINI): Promise<TestBot> {
  const bot = openTestBot(KNOWLEDGE);
  await bot.engine.refresh();
  const parsed = readFeed([path]);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  writeImport(bot.store, parsed.feed, new Date('2026-01-10T00:00:00Z'));
  return bot;
}

const attackRows = (bot: TestBot) =>
  bot.store.db
    .prepare('SELECT attack_id, kind, name, entity_id, tactics, status, replaced_by FROM attack_objects ORDER BY attack_id, kind')
    .all();

describe('importing ATT&CK Enterprise', () => {
  it('reads STIX 2.0 (mitre/cti) and STIX 2.1 (attack-stix-data) into the same knowledge', async () => {
    const from20 = await importAttack();
    const from21 = await importAttack(reencode21());
    expect(attackRows(from21)).toEqual(attackRows(from20));
    expect(from21.store.stats()).toEqual(from20.store.stats());
  });

  it('enriches the curated Volt Typhoon with ATT&CK (G1017) instead of making a second profile', async () => {
    const bot = await importAttack();
    expect(bot.store.entity('attack-g1017')).toBeUndefined();
    expect(bot.store.attackOf('volt-typhoon')).toMatchObject({ attackId: 'G1017', kind: 'group' });
    const reply = await bot.engine.answer('who is G1017?');
    expect(reply.entities[0]?.id).toBe('volt-typhoon');
    expect(reply.text).not.toMatch(/Which one do you mean/);
  });

  it('answers what a group uses by tactic, the rarest techniques first, with the ATT&CK page', async () => {
    const bot = await importAttack();
    const reply = await bot.engine.answer('what techniques does volt typhoon use?');
    expect(reply.text).toMatch(/^ATT&CK lists \d+ techniques used by Volt Typhoon \(G1017\)/);
    expect(reply.text).toContain('Exploit Public-Facing Application (T1190)');
    expect(reply.text).toContain('https://attack.mitre.org/groups/G1017');
    expect(reply.citations.some((c) => c.url === 'https://attack.mitre.org/groups/G1017')).toBe(true);
  });

  it('answers which groups use a tool, and how ATT&CK mitigates a technique', async () => {
    const bot = await importAttack();
    const users = await bot.engine.answer('which groups use mimikatz?');
    expect(users.text).toMatch(/ATT&CK lists \d+ groups? using Mimikatz \(S0002\)/);
    expect(users.text).toContain('Magic Hound (G0059)');
    const mitigations = await bot.engine.answer('how do we mitigate T1190?');
    expect(mitigations.text).toMatch(/ATT&CK lists \d+ mitigations? for Exploit Public-Facing Application \(T1190\)/);
    expect(mitigations.text).toContain('Update Software');
  });

  it('names a sub-technique as ATT&CK shows it, with its tactic', async () => {
    const bot = await importAttack();
    const reply = await bot.engine.answer('what is T1059.001?');
    expect(reply.text).toMatch(/^T1059\.001 is Command and Scripting Interpreter: PowerShell, an ATT&CK technique \(Execution\)/);
  });

  it('never presents a revoked group as current: it points to its replacement', async () => {
    const bot = await importAttack();
    expect(bot.store.db.prepare("SELECT COUNT(*) FROM entities WHERE name = 'Charming Kitten'").pluck().get()).toBe(0);
    const reply = await bot.engine.answer('who is G0058?');
    expect(reply.text).toMatch(/^Charming Kitten \(G0058\) was revoked by ATT&CK and replaced by Magic Hound \(G0059\)/);
    const deprecated = await bot.engine.answer('what is T1064?');
    expect(deprecated.text).toMatch(/Scripting \(T1064\) is deprecated in ATT&CK/);
  });

  it('says who a campaign is attributed to', async () => {
    const bot = await importAttack();
    const reply = await bot.engine.answer('who was behind operation dream job?');
    expect(reply.text).toContain('Lazarus Group');
  });
});
