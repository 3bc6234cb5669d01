import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { CLI, KNOWLEDGE, ROOT, seededStore, storeSnapshot, tempDir } from './helpers.js';

/** The samples a user finds in feeds/ after cloning. */
const FEEDS = join(ROOT, 'feeds');

function cli(db: string) {
  const env = { ...process.env, DATABASE_PATH: db, KNOWLEDGE_DIR: KNOWLEDGE };
  return (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd: ROOT });
}

function snapshot(db: string): string {
  const store = new FactStore(openDatabase(db));
  try {
    return storeSnapshot(store);
  } finally {
    store.db.close();
  }
}

describe('threatbrief import, from a fresh clone', () => {
  it('imports each shipped sample and answers about what it holds', () => {
    const run = cli(join(tempDir(), 'store.db'));
    const cases: { file: string; says: RegExp; question: string; answer: string[] }[] = [
      {
        file: 'feeds/ofac/sdn-sample-2023-03.csv',
        says: /^Imported feeds\/ofac\/sdn-sample-2023-03\.csv \(ofac-sdn\).*\n {2}added 33, updated 0, unchanged 0, removed 0, skipped 0\n {2}wrote 33 new entities/,
        question: 'is Aleksey Belan sanctioned?',
        answer: ['Yes — listed as “BELAN, Aleksey Alekseyevich”', 'March 2023 edition', 'program CYBER2'],
      },
      {
        file: 'feeds/cisa-kev/kev_subset_prc_typhoon_cves.json',
        says: /\(cisa-kev\).*\n {2}added 12, .*\n .*12 advisories/,
        question: 'what is CVE-2023-20198?',
        answer: ['Cisco IOS XE', 'Known Exploited Vulnerabilities Catalog, version 2025.08.25'],
      },
      {
        file: 'feeds/cisa-kev/known_exploited_vulnerabilities.json.gz',
        says: /\(cisa-kev\).*\n {2}added 1392, updated 0, unchanged 12, removed 0, skipped 0\n .*1392 advisories/,
        question: 'what is CVE-2025-48384?',
        answer: ['Git contains a link following vulnerability'],
      },
      {
        file: 'feeds/mitre-cti',
        says: /\(stix\): MITRE ATT&CK data, STIX 2\.0.*\n {2}added 16, .* skipped 1\n/,
        question: 'how does Salt Typhoon get in?',
        answer: ['Salt Typhoon has used configuration files from exploited network devices', 'MITRE ATT&CK'],
      },
      {
        file: 'feeds/microsoft-mstic/MicrosoftMapping.json',
        says: /\(mstic\).*\n {2}added 166, /,
        question: 'who is Gamaredon?',
        answer: ['Aqua Blizzard', 'Microsoft'],
      },
    ];
    for (const c of cases) {
      const imported = run('import', c.file);
      expect(imported.stderr, c.file).toBe('');
      expect(imported.status, c.file).toBe(0);
      expect(imported.stdout, c.file).toMatch(c.says);
      const asked = run('ask', c.question);
      for (const s of c.answer) expect(asked.stdout, c.question).toContain(s);
    }
    const again = run('import', 'feeds/mitre-cti');
    expect(again.stdout).toMatch(
      /^Nothing changed: feeds\/mitre-cti \(stix\) holds nothing new — 16 record\(s\) already imported in this version, 1 skipped\./,
    );
    const list = run('import', '--list');
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
    expect(list.stdout).toMatch(
      /^ofac-sdn-\S+ {2}ofac-sdn {2}feeds\/ofac\/sdn-sample-2023-03\.csv {2}U\.S\. Department of the Treasury, Office of Foreign Assets Control \(OFAC\), edition 2023-03 {2}imported /m,
    );
  }, 60_000);

  it('rejects a malformed file with the line and the problem, and changes nothing', () => {
    const db = seededStore();
    const run = cli(db);
    expect(run('import', join(FEEDS, 'mitre-cti')).status).toBe(0);
    const before = snapshot(db);
    const bad = join(tempDir(), 'sdn-2023-04.csv');
    const text = readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv'), 'latin1').replace(
      '173,"ANGLO-CARIBBEAN CO., LTD."',
      'X173,"ANGLO-CARIBBEAN CO., LTD."',
    );
    writeFileSync(bad, text, 'latin1');
    const r = run('import', bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${bad}: line 2: ent_num must be a number, found "X173"\n1 problem(s) found; nothing was imported.\n`);
    expect(snapshot(db)).toBe(before);
  });

  it('names a symbolic link loop in a feed folder, follows no folder twice, and imports nothing', () => {
    const folder = join(tempDir(), 'feeds');
    mkdirSync(folder);
    symlinkSync('.', join(folder, 'itself'));
    symlinkSync('b.json', join(folder, 'a.json'));
    symlinkSync('a.json', join(folder, 'b.json'));
    const r = cli(seededStore())('import', folder);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${join(folder, 'a.json')}: cannot read: symbolic link loop (ELOOP)\n${join(folder, 'b.json')}: cannot read: symbolic link loop (ELOOP)\n2 problem(s) found; nothing was imported.\n`,
    );
  });

  it('explains how to use it when the arguments are wrong', () => {
    const run = cli(seededStore());
    const none = run('import');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: threatbrief import [--format stix|cisa-kev|ofac-sdn|ofac-alt|ofac-add|mstic|misp-galaxy]');
    const format = run('import', '--format', 'csv', 'feeds/ofac/sdn-sample-2023-03.csv');
    expect(format.status).toBe(2);
    expect(format.stderr).toBe('--format must be one of stix, cisa-kev, ofac-sdn, ofac-alt, ofac-add, mstic, misp-galaxy, not "csv"\n');
    const mixed = run('import', 'feeds/ofac/sdn-sample-2023-03.csv', 'feeds/microsoft-mstic/MicrosoftMapping.json');
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('one import takes files of one format');
    expect(run('--help').stdout).toContain(
      'threatbrief import [--format stix|cisa-kev|ofac-sdn|ofac-alt|ofac-add|mstic|misp-galaxy] [--edition YYYY-MM-DD] <file or folder>…',
    );
  });
});
