import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { openTestBot, ROOT, storeSnapshot, type TestBot, tempDir } from './helpers.js';

const KEV = join(ROOT, 'feeds', 'cisa-kev', 'kev_subset_prc_typhoon_cves.json');
interface Catalog {
  count: number;
  vulnerabilities: Record<string, unknown>[];
}
const catalog = (): Catalog => JSON.parse(readFileSync(KEV, 'utf8')) as Catalog;

function importKev(bot: TestBot, path = KEV, now = new Date('2025-09-01T12:00:00Z')) {
  const parsed = readFeed([path]);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, now);
}

function problemsOf(edit: (c: Catalog) => unknown, raw?: string): string[] {
  const path = join(tempDir(), 'kev.json');
  writeFileSync(path, raw ?? JSON.stringify(edit(catalog()), null, 2));
  const parsed = readFeed([path]);
  return parsed.ok ? [] : parsed.problems.map(formatImportProblem);
}

describe('importing the CISA KEV catalog', () => {
  it('adds each entry as a vulnerability and an advisory with the next sequence numbers, in the order CISA added them', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const before = bot.store.lastAdvisorySeq();
    const summary = importKev(bot);
    expect(summary).toMatchObject({ format: 'cisa-kev', edition: '2025-08-25', advisoriesAdded: 12 });
    const added = bot.store.advisoriesAfter(before);
    expect(added.map((a) => a.seq)).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
    expect(added.map((a) => a.published)).toEqual([...added.map((a) => a.published)].sort());
    const pan = added.find((a) => a.id === 'kev-cve-2024-3400')!;
    expect(pan).toMatchObject({
      title:
        "CVE-2024-3400 added to CISA's Known Exploited Vulnerabilities catalog: Palo Alto Networks PAN-OS Command Injection Vulnerability",
      publisher: 'Cybersecurity and Infrastructure Security Agency (CISA)',
      published: '2024-04-12',
      entities: ['cve-2024-3400'],
      severity: 'critical',
    });
    for (const field of [
      'Palo Alto Networks PAN-OS:',
      'Required action:',
      'Due date: 2024-04-19.',
      'Known ransomware campaign use: Known.',
      'CWEs: CWE-20, CWE-77.',
      'Notes:',
    ]) {
      expect(pan.summary).toContain(field);
    }
    expect(bot.store.entity('cve-2024-3400')).toMatchObject({ type: 'vulnerability', name: 'CVE-2024-3400' });
    expect(bot.store.source(pan.sources[0]!)).toMatchObject({
      title: 'Known Exploited Vulnerabilities Catalog, version 2025.08.25',
      kind: 'dataset',
    });
  });

  it('does not overwrite a curated vulnerability: its advisory attaches to the curated entity', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const curated = () => JSON.stringify([bot.store.entity('cve-2024-12356'), bot.store.claims('cve-2024-12356')]);
    const before = curated();
    const summary = importKev(bot);
    expect(summary.entitiesCreated).toBe(10);
    expect(summary.entitiesEnriched).toBe(2);
    expect(curated()).toBe(before);
    const [advisory] = bot.store.advisoriesAbout('cve-2024-12356', 10).filter((a) => a.id.startsWith('kev-'));
    expect(advisory).toMatchObject({ id: 'kev-cve-2024-12356', published: '2024-12-19' });
  });

  it('adds nothing when the same catalog is imported again', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    importKev(bot);
    const before = storeSnapshot(bot.store);
    const seq = bot.store.lastAdvisorySeq();
    const again = importKev(bot);
    expect(again.importId).toBeUndefined();
    expect(again.unchanged).toBe(12);
    expect(bot.store.lastAdvisorySeq()).toBe(seq);
    expect(storeSnapshot(bot.store)).toBe(before);
  });

  it('answers about an imported vulnerability, citing the catalog', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    importKev(bot);
    const reply = await bot.engine.answer('what is CVE-2024-3400?');
    expect(reply.entities[0]?.id).toBe('cve-2024-3400');
    expect(reply.text).toContain('Palo Alto Networks PAN-OS GlobalProtect feature contains a command injection vulnerability');
    expect(reply.text).toContain('known to be used in ransomware campaigns');
    expect(reply.citations[0]).toMatchObject({
      publisher: 'Cybersecurity and Infrastructure Security Agency (CISA)',
      title: 'Known Exploited Vulnerabilities Catalog, version 2025.08.25',
    });
    expect((await bot.engine.answer('who is Palo Alto Networks PAN-OS Command Injection Vulnerability')).entities[0]?.id).toBe(
      'cve-2024-3400',
    );
  });

  it.each([
    [
      'an entry without a due date',
      (c: Catalog) => {
        delete c.vulnerabilities[3]!.dueDate;
        return c;
      },
      /vulnerabilities\[3\] \(CVE-2024-39717\)\.dueDate: /,
    ],
    [
      'a malformed CVE id',
      (c: Catalog) => {
        c.vulnerabilities[0]!.cveID = 'CVE-24-1';
        return c;
      },
      /vulnerabilities\[0\] \(CVE-24-1\)\.cveID: must be a CVE id like CVE-2024-3400/,
    ],
    [
      'a date that is not a date',
      (c: Catalog) => {
        c.vulnerabilities[5]!.dateAdded = '12/04/2024';
        return c;
      },
      /vulnerabilities\[5\] \(CVE-2023-46805\)\.dateAdded: must be a date as YYYY-MM-DD/,
    ],
    [
      'a count that does not match',
      (c: Catalog) => {
        c.count = 13;
        return c;
      },
      /: count: the catalog says it holds 13 vulnerabilities but lists 12/,
    ],
    [
      'the same CVE twice',
      (c: Catalog) => {
        c.vulnerabilities.push(c.vulnerabilities[0]!);
        c.count = 13;
        return c;
      },
      /vulnerabilities\[12\] \(CVE-2024-12686\): CVE-2024-12686 is already in the catalog at vulnerabilities\[0\]/,
    ],
  ])('rejects %s, naming the entry and the problem', (_label, edit, message) => {
    expect(problemsOf(edit).join('\n')).toMatch(message);
  });

  it('rejects a file that is not valid JSON, naming the line', () => {
    const text = readFileSync(KEV, 'utf8');
    const broken = text.replace('"cveID": "CVE-2025-0282",', '"cveID": "CVE-2025-0282"');
    const line = broken.slice(0, broken.indexOf('"CVE-2025-0282"')).split('\n').length + 1;
    expect(problemsOf(() => null, broken)).toEqual([
      expect.stringMatching(new RegExp(`kev\\.json: line ${line}, column \\d+: not valid JSON`)),
    ]);
  });
});
