import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactStore, ftsQuery } from '../src/store/fact-store.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openDatabase } from '../src/store/open.js';
import { copyKnowledge, openTestBot, storeSnapshot, tempDir } from './helpers.js';

describe('the fact store', () => {
  it('is a migrated SQLite file in WAL mode', async () => {
    const { store, engine, dbPath } = openTestBot(copyKnowledge());
    await engine.refresh();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    store.db.close();
    const reopened = new FactStore(openDatabase(dbPath));
    expect(reopened.entity('example-panda')?.name).toBe('Example Panda');
    reopened.db.close();
  });

  it('loads the knowledge on first use and again, off the question in hand, when a file changes', async () => {
    const dir = copyKnowledge();
    const { engine, store } = openTestBot(dir);
    expect(store.knowledgeVersion()).toBeUndefined();
    await engine.answer('latest');
    const v1 = store.knowledgeVersion();
    expect(v1).toMatch(/^[0-9a-f]{12}$/);
    writeFileSync(
      join(dir, 'sources', 'acme-report.yaml'),
      readFileSync(join(dir, 'sources', 'acme-report.yaml'), 'utf8').replace('Example report', 'Revised report'),
    );
    expect((await engine.answer('who is example panda')).citations[0]?.title).toBe('Example report on Example Panda');
    await engine.refresh(); // the reload that answer started
    expect(store.knowledgeVersion()).not.toBe(v1);
    expect((await engine.answer('who is example panda')).citations[0]?.title).toBe('Revised report on Example Panda');
  });

  it('drops a removed curated entity but never rows that came from an import', async () => {
    const dir = copyKnowledge();
    const { engine, store } = openTestBot(dir);
    await engine.refresh();
    store.db
      .prepare(
        "INSERT INTO entities (id, type, name, summary, summary_sources, origin) VALUES ('imported-actor', 'threat-actor', 'Imported Actor', 'From a feed.', '[]', 'import:test-feed')",
      )
      .run();
    rmSync(join(dir, 'advisories', 'example-advisory.yaml'));
    await engine.refresh();
    expect(store.entity('imported-actor')?.name).toBe('Imported Actor');
    expect(store.latestAdvisories(10)).toEqual([]);
  });

  it('gives each new advisory the next sequence number and keeps it across reloads', async () => {
    const dir = copyKnowledge();
    const { engine, store } = openTestBot(dir);
    await engine.refresh();
    const first = store.latestAdvisories(10);
    expect(first.map((a) => a.seq)).toEqual([1]);
    writeFileSync(
      join(dir, 'advisories', 'second-advisory.yaml'),
      'id: second-advisory\ntitle: Second\npublisher: Example Agency\npublished: "2024-06-01"\nsummary: Another.\nsources: [acme-report]\n',
    );
    await engine.refresh();
    const seqs = Object.fromEntries(store.latestAdvisories(10).map((a) => [a.id, a.seq]));
    expect(seqs).toEqual({ 'example-advisory': 1, 'second-advisory': 2 });
  });

  it('adds an advisory from any channel with the next sequence number; a known one changes nothing', async () => {
    const { engine, store } = openTestBot(copyKnowledge());
    await engine.refresh();
    const advisory = {
      id: 'kev-cve-2024-0001',
      title: 'CVE-2024-0001',
      publisher: 'CISA',
      published: '2024-07-01',
      summary: 'Test.',
      entities: [],
      severity: 'high',
      sources: [],
    };
    expect(store.addAdvisory(advisory, 'import:kev', new Date())).toEqual({ added: true, seq: 2 });
    expect(store.addAdvisory({ ...advisory, title: 'changed' }, 'webhook', new Date())).toEqual({ added: false, seq: 2 });
    expect(store.advisoriesAfter(1).map((a) => [a.id, a.title])).toEqual([['kev-cve-2024-0001', 'CVE-2024-0001']]);
    expect(store.lastAdvisorySeq()).toBe(2);
    expect((await engine.answer('latest')).text).toContain('CVE-2024-0001');
  });

  it('quotes every full-text search term so operators are inert', () => {
    expect(ftsQuery(['flax', 'NEAR(a', '"x', 'OR'])).toBe('"flax" "NEAR(a" """x" "OR"');
    const store = new FactStore(openDatabase(join(tempDir(), 's.db')));
    for (const q of [['"'], ['*'], ['col:x'], ['AND', 'OR', 'NOT'], ['^start'], ["'); DROP TABLE claims; --"]]) {
      expect(() => store.searchFacts(q, 5)).not.toThrow();
    }
    store.db.close();
  });

  it('refuses to open a store written by a newer version', () => {
    const path = join(tempDir(), 'future.db');
    const db = openDatabase(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer ThreatBrief/);
  });
});

describe('hostile input', () => {
  const hostile = [
    "' OR 1=1; --",
    "Robert'); DROP TABLE entities;--",
    'flax NEAR/2 typhoon',
    '"unbalanced quote',
    'typhoon* OR sanctions:* AND NOT ^x',
    '<!channel> <@U123> who is <https://evil.example|Flax Typhoon>',
    '\u0000\u0007\u001b[31m who is \u202e Flax',
    'a'.repeat(10_000),
    `who is ${'Flax Typhoon '.repeat(700)}`,
    '🦜🦜🦜',
    '   ',
    '',
    '?',
  ];
  it.each(hostile.map((q) => [q.slice(0, 40), q]))('%s → a helpful reply, no exception, no store change', async (_label, q) => {
    const { engine, store } = openTestBot(copyKnowledge());
    await engine.refresh();
    const before = storeSnapshot(store);
    const reply = await engine.answer(q);
    expect(reply.intent).not.toBe('error');
    expect(reply.text.trim().length).toBeGreaterThan(0);
    expect(storeSnapshot(store)).toBe(before);
  });
});
