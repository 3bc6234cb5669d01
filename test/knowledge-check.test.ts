import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadKnowledge } from '../src/knowledge/load.js';
import { CLI, copyKnowledge, KNOWLEDGE, openTestBot, tempDir } from './helpers.js';

function check(dir: string) {
  return spawnSync(process.execPath, [CLI, 'check', '--dir', dir], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: join(tempDir(), 'x.db') },
  });
}

describe('threatbrief check', () => {
  it('accepts the shipped knowledge', () => {
    const out = execFileSync(process.execPath, [CLI, 'check', '--dir', KNOWLEDGE], { encoding: 'utf8' });
    expect(out).toMatch(/^Knowledge OK \(version [0-9a-f]{12}\): \d+ sources, \d+ entities, \d+ claims, \d+ sanctions, \d+ advisories\.$/m);
  });

  it('names the file, the field and the problem, and exits non-zero', () => {
    const dir = copyKnowledge();
    const file = join(dir, 'entities', 'example-panda.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    sources: [acme-report]\n', '    sources: [no-such-source]\n'));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('knowledge/entities/example-panda.yaml: claims[0].sources[0]: unknown source "no-such-source"');
  });

  it('reports a wrong type with its path', () => {
    const dir = copyKnowledge();
    writeFileSync(
      join(dir, 'sources', 'acme-report.yaml'),
      readFileSync(join(dir, 'sources', 'acme-report.yaml'), 'utf8').replace('reliability: A', 'reliability: C'),
    );
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/knowledge\/sources\/acme-report\.yaml: reliability: .*"A"\|"B"/);
  });

  it('names a symbolic link loop and an unreadable entry as file: problem, without a raw error', () => {
    const dir = copyKnowledge();
    symlinkSync('loop-b.yaml', join(dir, 'entities', 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'entities', 'loop-b.yaml'));
    mkdirSync(join(dir, 'sources', 'folder.yaml'));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('knowledge/entities/loop-a.yaml: (file): cannot read the file: symbolic link loop (ELOOP)');
    expect(result.stderr).toContain('knowledge/entities/loop-b.yaml: (file): cannot read the file: symbolic link loop (ELOOP)');
    expect(result.stderr).toContain('knowledge/sources/folder.yaml: (file): cannot read the file: it is a folder (EISDIR)');
    expect(result.stderr).not.toMatch(/\bat \w+ \(|Error:/);
  });

  it('keeps answering from the last good knowledge when a symbolic link loop appears', async () => {
    const dir = copyKnowledge();
    const dbPath = join(tempDir(), 'loop.db');
    const env = { ...process.env, DATABASE_PATH: dbPath, KNOWLEDGE_DIR: dir };
    expect(spawnSync(process.execPath, [CLI, 'ask', 'who is Example Panda?'], { encoding: 'utf8', env }).status).toBe(0);
    symlinkSync('loop.yaml', join(dir, 'entities', 'loop.yaml'));
    const r = spawnSync(process.execPath, [CLI, 'ask', 'who is Example Panda?'], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Example Panda');
    expect(r.stderr).toMatch(/problem\(s\) in the knowledge files/);
    expect(r.stderr).not.toMatch(/ELOOP: too many|\bat \w+ \(/);
  });

  it('reports broken YAML with its line', () => {
    const dir = copyKnowledge();
    writeFileSync(join(dir, 'advisories', 'example-advisory.yaml'), 'id: example-advisory\ntitle: [unclosed\n');
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/knowledge\/advisories\/example-advisory\.yaml: line \d+: /);
  });

  it('catches an unknown field, a relation without object, a mismatched id and a reused alias', () => {
    const dir = copyKnowledge();
    const panda = join(dir, 'entities', 'example-panda.yaml');
    writeFileSync(
      panda,
      readFileSync(panda, 'utf8')
        .replace('    object: example-corp\n', '')
        .replace('type: threat-actor', 'type: threat-actor\ncolour: red')
        .replace('name: Storm-9999', 'name: Example Corp'),
    );
    writeFileSync(join(dir, 'sources', 'renamed.yaml'), readFileSync(join(dir, 'sources', 'acme-report.yaml'), 'utf8'));
    const result = loadKnowledge(dir);
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    expect(lines).toContain('knowledge/entities/example-panda.yaml: claims[0].object: a "operated-by" claim needs an object entity id');
    expect(
      lines.some(
        (l) => l.startsWith('knowledge/entities/example-panda.yaml: (file): Unrecognized key') || /example-panda\.yaml: .*colour/.test(l),
      ),
    ).toBe(true);
    expect(lines).toContain('knowledge/sources/renamed.yaml: id: id "acme-report" must match the file name "renamed"');
  });

  it('refuses a name used by two entities', () => {
    const dir = copyKnowledge();
    const panda = join(dir, 'entities', 'example-panda.yaml');
    writeFileSync(panda, readFileSync(panda, 'utf8').replace('name: Storm-9999', 'name: Example Corp Inc.'));
    const result = loadKnowledge(dir);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toContain(
      'knowledge/entities/example-panda.yaml: aliases[0].name: name "Example Corp Inc." is already used by entity "example-corp" (knowledge/entities/example-corp.yaml)',
    );
  });
});

describe('a broken knowledge file never takes the bot down', () => {
  it('keeps serving the last good knowledge, then loads the fix', async () => {
    const dir = copyKnowledge();
    const { engine, store } = openTestBot(dir);
    const before = await engine.answer('who is Example Panda?');
    expect(before.intent).toBe('profile');
    const goodVersion = store.knowledgeVersion();

    const file = join(dir, 'entities', 'example-panda.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('summary: Example Panda is a fictional actor used in tests.', 'summary: 42\nsummary: duplicate'));
    const problems = await engine.refresh();
    expect(problems.length).toBeGreaterThan(0);
    expect(store.knowledgeVersion()).toBe(goodVersion);
    const during = await engine.answer('who is Example Panda?');
    expect(during.intent).toBe('profile');
    expect(during.text).toContain('Example Panda is a fictional actor used in tests.');

    writeFileSync(file, good.replace('a fictional actor used in tests', 'a fictional actor, revised'));
    expect(await engine.refresh()).toEqual([]);
    expect(store.knowledgeVersion()).not.toBe(goodVersion);
    expect((await engine.answer('who is Example Panda?')).text).toContain('a fictional actor, revised');
  });

  it('says that no knowledge is loaded, never "no record", when no knowledge ever loaded', async () => {
    const dir = copyKnowledge();
    writeFileSync(join(dir, 'sources', 'acme-report.yaml'), 'not: [valid');
    const { engine } = openTestBot(dir);
    for (const q of ['who is Example Panda?', 'is Example Corp sanctioned?']) {
      const reply = await engine.answer(q);
      expect(reply.intent).toBe('no-knowledge');
      expect(reply.text).toContain('I have no knowledge loaded');
      expect(reply.text).not.toMatch(/no record/i);
      expect(reply.citations).toEqual([]);
    }
  });
});
