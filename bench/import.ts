/**
 * npm run bench — feed imports and sanctions screening at scale. Prints figures; asserts nothing.
 *
 * Targets (issue "feed imports and screening"):
 * - 12,000-row OFAC SDN import < 2 s;
 * - resolution over ≥ 100,000 names: p99 ≤ 2 ms, at least 20× faster than fuse.js, with equal or
 *   better top-1 accuracy on misspelled, reordered and alias queries and fewer false positives on
 *   names that are not listed.
 *
 * The SDN lists are built from the real sample's 33 rows (which they include) and synthetic rows
 * in the same shapes (individuals "SURNAME, Given Middle", entities with legal forms, vessels,
 * aircraft; weak a.k.a.s, f.k.a.s and "Linked To:" in the remarks), from a fixed seed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { createAnswerEngine } from '../src/answer/engine.js';
import { nameKey, normalizeName } from '../src/base/normalize.js';
import { packageRoot } from '../src/base/paths.js';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem, type ParsedFeed } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { type Resolution, Resolver } from '../src/understand/resolve.js';

const ROOT = packageRoot();
const FEEDS = join(ROOT, 'feeds');
const KNOWLEDGE = join(ROOT, 'knowledge');
const SDN_SAMPLE = join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv');
const KEV_FULL = join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz');

// ---------------------------------------------------------------------------------------------
// Figures

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function latency(ms: number[]): { p50: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1]! };
}

function fmt(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(3)} ms`;
}

function pct(n: number, of: number): string {
  return `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
}

function target(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

// ---------------------------------------------------------------------------------------------
// A synthetic SDN list in the real file's shapes

/** Mulberry32: a small seeded generator, so every run builds the same lists. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN =
  `Aleksey Igor Sergey Dmitry Vladimir Nikolai Andrei Mikhail Yevgeny Pavel Oleg Ivan Viktor Yuri Boris Roman Artem Maksim Denis Anton
Natalya Olga Elena Tatiana Svetlana Irina Anna Marina Yulia Ekaterina Mohammad Ahmad Ali Hassan Hussein Omar Khalid Yousef Ibrahim Abdullah Mahmoud
Mustafa Karim Rashid Tariq Samir Sadegh Reza Mehdi Hamid Majid Hossein Javad Saeed Fatima Zahra Maryam Leila Wei Jun Hao Ming Lei Jian Yong Qiang Xin
Yan Hui Ping Chao Bo Sok Myong Chol Jong Song Kwang Hyok Juan Jose Carlos Luis Miguel Jorge Pedro Manuel Rafael Fernando Maria Ana Carmen Rosa Diego
Alejandro Ricardo Eduardo Javier Raul Hector Ramon Ernesto Arturo Francisco Ahmed Bilal Faisal Nasser Walid Ziad Hamza Anwar Jamal Kamal`.split(
    /\s+/,
  );

const SURNAMES =
  `Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Kim Pak Choe Ri Jang Han Garcia Lopez Martinez Rodriguez
Hernandez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Morales Ortiz Gutierrez Castillo Jimenez Vargas Romero Herrera Medina Aguilar Mendoza
Hassan Hussein Ahmadi Rezaei Mohammadi Hosseini Karimi Moradi Jafari Rahimi Hashemi Sadeghi Abbasi Ebrahimi Khalil Mansour Haddad Nasser Saleh Aziz`.split(
    /\s+/,
  );

const ONSETS = 'b d g k l m n p r s t v z sh kh zh ch ts dr gr kr st'.split(' ');
const VOWELS = 'a e i o u a o e'.split(' ');
const RU_ENDINGS = ['ov', 'ev', 'in', 'enko', 'sky', 'ovich', 'yan', 'idze'];
const AR_PREFIX = ['AL-', 'EL-', 'ABU ', 'BIN '];

function syllables(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ONSETS[Math.floor(rnd() * ONSETS.length)]! + VOWELS[Math.floor(rnd() * VOWELS.length)]!;
  return s;
}

function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function surname(rnd: () => number): string {
  const r = rnd();
  if (r < 0.35) return pick(rnd, SURNAMES);
  if (r < 0.7) return title(syllables(rnd, 2 + Math.floor(rnd() * 2))) + pick(rnd, RU_ENDINGS);
  if (r < 0.85) return pick(rnd, AR_PREFIX) + title(syllables(rnd, 2 + Math.floor(rnd() * 2)));
  return title(syllables(rnd, 2 + Math.floor(rnd() * 3)));
}

function given(rnd: () => number): string {
  return rnd() < 0.75 ? pick(rnd, GIVEN) : title(syllables(rnd, 2 + Math.floor(rnd() * 2)));
}

const COMPANY_WORDS =
  `Golden Star Noor Pars Khazar Caspian Eastern Western Northern Southern United Union Atlas Delta Orient Pacific Baltic Arctic Sahara Zagros
Dragon Phoenix Crescent Falcon Eagle Lion Tiger Cedar Palm Lotus Jade Pearl Silver Iron Steel Energy Petro Aero Sea Ocean River Mountain Valley
Alpha Omega Sigma Nova Vector Quantum Apex Summit Horizon Frontier Pioneer Meridian Zenith Vertex Nexus Matrix Vortex Titan Orion`.split(
    /\s+/,
  );
const COMPANY_KINDS =
  `Trading Shipping Industries Engineering Electronics Logistics Petroleum Chemical Construction Investment Technology Systems Group Holding
Exchange Aviation Marine Metals Mining Textiles Pharmaceuticals Consulting Security Software Telecom`.split(/\s+/);
const LEGAL_FORMS = ['LLC', 'CO., LTD.', 'LIMITED', 'S.A.', 'GMBH', 'JSC', 'OOO', 'FZE', 'PJSC', 'INC.', 'S.R.O.', 'SDN BHD'];
const PROGRAMS = [
  'SDGT',
  'CYBER2',
  'RUSSIA-EO14024',
  'IRAN',
  'SDNTK',
  'DPRK3',
  'UKRAINE-EO13662',
  'GLOMAG',
  'IFSR',
  'NPWMD',
  'SYRIA',
  'CUBA',
  'VENEZUELA-EO13850',
];

function companyName(rnd: () => number): string {
  const words = [rnd() < 0.5 ? pick(rnd, COMPANY_WORDS) : title(syllables(rnd, 2 + Math.floor(rnd() * 2)))];
  if (rnd() < 0.6) words.push(rnd() < 0.5 ? pick(rnd, COMPANY_WORDS) : title(syllables(rnd, 2)));
  words.push(pick(rnd, COMPANY_KINDS));
  const legal = pick(rnd, LEGAL_FORMS);
  const name = words.join(' ').toUpperCase();
  return legal === 'JSC' || legal === 'OOO' || legal === 'PJSC' ? `${legal} ${name}` : `${name} ${legal}`;
}

function csvField(v: string | undefined): string {
  return v === undefined ? '-0- ' : `"${v.replace(/"/g, '""')}"`;
}

interface SyntheticRow {
  ent: number;
  name: string;
  type: 'individual' | 'entity' | 'vessel' | 'aircraft';
}

/**
 * The real sample's 33 rows followed by `rows - 33` synthetic ones, as sdn.csv is published
 * (CRLF, no header, "-0- " for empty, 0x1A at the end).
 */
export function syntheticSdn(rows: number, seed = 2023): { text: string; listed: SyntheticRow[] } {
  const rnd = random(seed);
  const sample = readFileSync(SDN_SAMPLE, 'latin1').replace(/\r\n\u001a$/, '');
  const lines = sample.split('\r\n');
  const listed: SyntheticRow[] = [];
  const used = new Set<string>();
  let ent = 50_000;
  const fresh = (make: () => string) => {
    for (;;) {
      const name = make();
      const key = normalizeName(name);
      if (!used.has(key)) {
        used.add(key);
        return name;
      }
    }
  };
  while (lines.length < rows) {
    ent += 1 + Math.floor(rnd() * 3);
    const r = rnd();
    const type: SyntheticRow['type'] = r < 0.52 ? 'individual' : r < 0.92 ? 'entity' : r < 0.97 ? 'vessel' : 'aircraft';
    const programs = [pick(rnd, PROGRAMS), ...(rnd() < 0.25 ? [pick(rnd, PROGRAMS)] : [])].filter((p, i, a) => a.indexOf(p) === i);
    const remarks: string[] = [];
    let name: string;
    let fields: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];
    if (type === 'individual') {
      const last = surname(rnd).toUpperCase();
      const first = given(rnd);
      name = fresh(() => `${last}, ${first}${rnd() < 0.6 ? ` ${given(rnd)}` : ''}`);
      remarks.push(`DOB ${1 + Math.floor(rnd() * 28)} ${pick(rnd, ['Jan', 'Mar', 'Jun', 'Sep', 'Nov'])} ${1940 + Math.floor(rnd() * 60)}`);
      if (rnd() < 0.35)
        remarks.push(`a.k.a. '${rnd() < 0.5 ? `ABU ${pick(rnd, GIVEN).toUpperCase()}` : `${given(rnd)} ${title(syllables(rnd, 2))}`}'`);
      if (rnd() < 0.15) remarks.push(`a.k.a. '${title(syllables(rnd, 2))}${Math.floor(rnd() * 99)}'`);
    } else if (type === 'entity') {
      name = fresh(() => companyName(rnd));
      if (rnd() < 0.3)
        remarks.push(
          `a.k.a. '${name
            .split(' ')
            .filter((w) => /^[A-Z]/.test(w))
            .map((w) => w[0])
            .join('')}${Math.floor(rnd() * 9)}'`,
        );
      if (rnd() < 0.2) remarks.push(`f.k.a. '${fresh(() => companyName(rnd))}'`);
    } else if (type === 'vessel') {
      name = fresh(() =>
        `${pick(rnd, COMPANY_WORDS)} ${pick(rnd, COMPANY_WORDS)}${rnd() < 0.3 ? ` ${1 + Math.floor(rnd() * 9)}` : ''}`.toUpperCase(),
      );
      fields = [
        undefined,
        `${syllables(rnd, 2).toUpperCase()}${Math.floor(rnd() * 999)}`,
        pick(rnd, ['Crude Oil Tanker', 'General Cargo', 'Tug', 'Bulk Carrier']),
        undefined,
        String(1000 + Math.floor(rnd() * 90000)),
        pick(rnd, ['Panama', 'Iran', 'Korea, North', 'Togo']),
        undefined,
      ];
      remarks.push(`Vessel Registration Identification IMO ${9_000_000 + Math.floor(rnd() * 999_999)}`);
      if (rnd() < 0.3) remarks.push(`f.k.a. '${fresh(() => `${pick(rnd, COMPANY_WORDS)} ${pick(rnd, COMPANY_WORDS)}`.toUpperCase())}'`);
    } else {
      name = fresh(() => `EP-${syllables(rnd, 2).slice(0, 3).toUpperCase()}${Math.floor(rnd() * 9)}`);
      remarks.push(`Aircraft Model IL76-TD; Aircraft Manufacturer's Serial Number (MSN) ${Math.floor(rnd() * 1e9)}`);
    }
    if (listed.length > 10 && rnd() < 0.1) remarks.push(`Linked To: ${pick(rnd, listed).name}`);
    listed.push({ ent, name, type });
    const cols = [
      String(ent),
      csvField(name),
      type === 'entity' ? '-0- ' : csvField(type),
      csvField(programs.join('] [')),
      ...fields.map(csvField),
      csvField(`${remarks.join('; ')}.`),
    ];
    lines.push(cols.join(','));
  }
  return { text: `${lines.join('\r\n')}\r\n\u001a`, listed };
}

// ---------------------------------------------------------------------------------------------
// Import times

function parse(paths: string[], options: Parameters<typeof readFeed>[1] = {}): ParsedFeed {
  const parsed = readFeed(paths, options);
  if (!parsed.ok) throw new Error(parsed.problems.slice(0, 5).map(formatImportProblem).join('\n'));
  return parsed.feed;
}

async function freshStore(path: string): Promise<FactStore> {
  const store = new FactStore(openDatabase(path));
  await createAnswerEngine({ store, knowledgeDir: KNOWLEDGE }).refresh();
  return store;
}

/** KEV catalog (1,404 entries) and a 12,000-row SDN list: parse + write, in process and through the CLI. */
export async function benchImports(dir: string): Promise<void> {
  console.log('\nfeed imports');
  {
    const store = await freshStore(join(dir, 'kev.db'));
    const [feed, parseMs] = timed(() => parse([KEV_FULL]));
    const [summary, writeMs] = timed(() => writeImport(store, feed, new Date()));
    const [, againMs] = timed(() => writeImport(store, parse([KEV_FULL]), new Date()));
    console.log(
      `  CISA KEV catalog, ${feed.records.length.toLocaleString('en-US')} entries: ${fmt(parseMs + writeMs)} (parse ${fmt(parseMs)}, write ${fmt(writeMs)}; ` +
        `${summary.advisoriesAdded} advisories); re-import of the same catalog (nothing changes): ${fmt(againMs)}`,
    );
    store.db.close();
  }
  {
    const path = join(dir, 'sdn-2023-03.csv');
    const { text } = syntheticSdn(12_000);
    writeFileSync(path, text, 'latin1');
    const store = await freshStore(join(dir, 'sdn.db'));
    const [feed, parseMs] = timed(() => parse([path], { edition: '2023-03' }));
    const [summary, writeMs] = timed(() => writeImport(store, feed, new Date()));
    const total = parseMs + writeMs;
    console.log(
      `  OFAC SDN list, ${feed.records.length.toLocaleString('en-US')} rows (33 real + synthetic): ${fmt(total)} (parse ${fmt(parseMs)}, write ${fmt(writeMs)}; ` +
        `${summary.entitiesCreated} entities, ${summary.aliases} aliases, ${summary.listEntries} list entries) — target < 2 s: ${target(total < 2000)}`,
    );
    // A newer edition: 1% of rows delisted, the rest as before.
    const next = join(dir, 'sdn-2023-04.csv');
    writeFileSync(
      next,
      text
        .split('\r\n')
        .filter((_, i) => i % 100 !== 50)
        .join('\r\n'),
      'latin1',
    );
    const [replaced, replaceMs] = timed(() => writeImport(store, parse([next], { edition: '2023-04' }), new Date()));
    console.log(
      `  newer edition replacing it (${replaced.removed.length} delisted, ${replaced.unchanged} unchanged): ${fmt(replaceMs)} in process`,
    );
    store.db.close();

    const cli = join(ROOT, 'dist', 'bundle', 'threatbrief.js');
    const env = { ...process.env, DATABASE_PATH: join(dir, 'sdn-cli.db'), KNOWLEDGE_DIR: KNOWLEDGE };
    spawnSync(process.execPath, [cli, 'ask', 'latest'], { env, encoding: 'utf8' }); // knowledge loaded first
    const [r, wallMs] = timed(() => spawnSync(process.execPath, [cli, 'import', path], { env, encoding: 'utf8' }));
    if (r.status !== 0) throw new Error(`threatbrief import failed: ${r.stderr}`);
    console.log(
      `  threatbrief import of the 12,000-row list, whole process (start, read, check, write): ${fmt(wallMs)} wall — target < 2 s: ${target(wallMs < 2000)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution at 100,000 names, against fuse.js

interface Query {
  kind: 'misspelled' | 'reordered' | 'alias' | 'not listed';
  text: string;
  /** The entity meant; undefined for names that are not listed. */
  expected?: string;
}

interface NameRecord {
  entityId: string;
  name: string;
}

function typo(rnd: () => number, word: string): string {
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const c = letters[Math.floor(rnd() * 26)]!;
  switch (Math.floor(rnd() * 4)) {
    case 0:
      return word.slice(0, i) + c + word.slice(i + 1); // a letter changed
    case 1:
      return word.slice(0, i) + word.slice(i + 1); // a letter dropped
    case 2:
      return word.slice(0, i) + c + word.slice(i); // a letter added
    default:
      return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1); // two letters swapped
  }
}

export function buildQueries(names: NameRecord[], entityTypes: Map<string, string>, perKind: number, seed = 7): Query[] {
  const rnd = random(seed);
  const owners = new Map<string, Set<string>>();
  for (const n of names) {
    const k = normalizeName(n.name);
    const set = owners.get(k) ?? new Set<string>();
    set.add(n.entityId);
    owners.set(k, set);
  }
  const unique = (name: string) => owners.get(normalizeName(name))?.size === 1;
  const canonical = new Map<string, string>();
  for (const n of names) if (!canonical.has(n.entityId)) canonical.set(n.entityId, n.name);
  const people = [...canonical].filter(([id, name]) => entityTypes.get(id) === 'person' && /^[^,]+, \S/.test(name) && unique(name));
  const typoable = [...canonical].filter(
    ([id, name]) =>
      ['person', 'organization', 'vessel', 'threat-actor'].includes(entityTypes.get(id) ?? '') &&
      name.split(' ').some((w) => /^[A-Za-z]{6,}[,.]?$/.test(w)) &&
      unique(name),
  );
  const aliasNames = names.filter((n) => canonical.get(n.entityId) !== n.name && unique(n.name) && normalizeName(n.name).length >= 4);

  const queries: Query[] = [];
  for (let i = 0; i < perKind; i++) {
    const [id, name] = pick(rnd, typoable);
    const words = name.split(' ');
    const candidates = words.map((w, j) => [w, j] as const).filter(([w]) => /^[A-Za-z]{6,}[,.]?$/.test(w));
    const [word, j] = pick(rnd, candidates);
    const core = word.replace(/[,.]$/, '');
    words[j] = typo(rnd, core) + word.slice(core.length);
    queries.push({ kind: 'misspelled', text: words.join(' '), expected: id });
  }
  for (let i = 0; i < perKind; i++) {
    const [id, name] = pick(rnd, people);
    const [last, rest] = name.split(/,\s*/, 2) as [string, string];
    queries.push({ kind: 'reordered', text: `${rest} ${title(last.toLowerCase())}`, expected: id });
  }
  for (let i = 0; i < perKind; i++) {
    const a = pick(rnd, aliasNames);
    queries.push({ kind: 'alias', text: rnd() < 0.5 ? a.name.toLowerCase() : a.name, expected: a.entityId });
  }
  // Names that are not listed, made of the same words as listed ones: a listed surname with a
  // given name it is never listed with, or company words in a combination nobody has.
  const listedPairs = new Set<string>();
  for (const [, name] of people) {
    const [last, rest] = name.split(/,\s*/, 2) as [string, string];
    for (const g of rest.split(' ')) listedPairs.add(`${normalizeName(last)}|${normalizeName(g)}`);
  }
  const surnames = people.map(([, n]) => n.split(',')[0]!);
  const listedKeys = new Set(names.map((n) => nameKey(normalizeName(n.name))));
  while (queries.length < perKind * 4) {
    let text: string;
    if (rnd() < 0.6) {
      const last = pick(rnd, surnames);
      const first = pick(rnd, GIVEN);
      if (listedPairs.has(`${normalizeName(last)}|${normalizeName(first)}`)) continue;
      text = `${first} ${title(last.toLowerCase())}`;
    } else {
      text = `${pick(rnd, COMPANY_WORDS)} ${pick(rnd, COMPANY_WORDS)} ${pick(rnd, COMPANY_KINDS)} ${pick(rnd, LEGAL_FORMS)}`;
    }
    // Reorderings of listed names are matches by design ("names match regardless of order").
    if (owners.has(normalizeName(text)) || listedKeys.has(nameKey(normalizeName(text)))) continue;
    queries.push({ kind: 'not listed', text });
  }
  return queries;
}

interface Outcome {
  top?: string;
  /** At or above the threshold: a "yes" / an automatic hit. */
  hit: boolean;
  /** Our "possible match — review" tier (fuse.js has none). */
  possible: boolean;
  ms: number;
}

interface Measured {
  openMs: number;
  indexMs: number;
  coldMs: number;
  outcomes: Outcome[];
  answerMs: number[];
}

/** The child process of `benchResolution`: resolution timings on a store, as JSON on stdout. */
async function measureResolution(db: string, queriesFile: string): Promise<void> {
  const texts = JSON.parse(readFileSync(queriesFile, 'utf8')) as string[];
  const store = new FactStore(openDatabase(db));
  const [resolver, openMs] = timed(() => new Resolver(store.nameTable()));
  const [, indexMs] = timed(() => resolver.warm());
  const [, coldMs] = timed(() => {
    for (const t of texts) resolver.resolve(t, { screening: true });
  });
  const outcomes = texts.map((t) => ours(resolver, t));
  const engine = createAnswerEngine({ store, knowledgeDir: KNOWLEDGE, reloadIntervalMs: 3_600_000 });
  for (const t of texts) await engine.answer(`is ${t} sanctioned?`);
  const answerMs: number[] = [];
  for (const t of texts) {
    const t0 = process.hrtime.bigint();
    await engine.answer(`is ${t} sanctioned?`);
    answerMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  store.db.close();
  const result: Measured = { openMs, indexMs, coldMs, outcomes, answerMs };
  process.stdout.write(JSON.stringify(result));
}

function ours(resolver: Resolver, text: string): Outcome {
  const [r, ms] = timed((): Resolution => resolver.resolve(text, { screening: true }));
  const threshold = resolver.options.threshold;
  switch (r.kind) {
    case 'match':
      return { top: r.match.entityId, hit: true, possible: false, ms };
    case 'suggest':
      return { top: r.match.entityId, hit: false, possible: true, ms };
    case 'ambiguous':
      return { top: r.candidates[0]!.entityId, hit: r.candidates[0]!.score >= threshold, possible: r.candidates[0]!.score < threshold, ms };
    case 'none':
      return { hit: false, possible: false, ms };
  }
}

function report(
  label: string,
  queries: Query[],
  outcomes: Outcome[],
  tiers: boolean,
): { accuracy: number; fp: number; p50: number; p99: number } {
  const kinds: Query['kind'][] = ['misspelled', 'reordered', 'alias'];
  const parts: string[] = [];
  let right = 0;
  let positives = 0;
  for (const kind of kinds) {
    const idx = queries.map((q, i) => (q.kind === kind ? i : -1)).filter((i) => i >= 0);
    const ok = idx.filter((i) => outcomes[i]!.top === queries[i]!.expected).length;
    const yes = idx.filter((i) => outcomes[i]!.hit && outcomes[i]!.top === queries[i]!.expected).length;
    const review = idx.filter((i) => outcomes[i]!.possible && outcomes[i]!.top === queries[i]!.expected).length;
    right += ok;
    positives += idx.length;
    parts.push(
      `${kind} ${pct(ok, idx.length)}${tiers ? ` (at or above the threshold ${pct(yes, idx.length)}, below it ${pct(review, idx.length)})` : ''}`,
    );
  }
  const neg = queries.map((q, i) => (q.kind === 'not listed' ? i : -1)).filter((i) => i >= 0);
  const fp = neg.filter((i) => outcomes[i]!.hit).length;
  const review = neg.filter((i) => outcomes[i]!.possible).length;
  const l = latency(outcomes.map((o) => o.ms));
  console.log(`  ${label}`);
  console.log(`    top-1 accuracy: ${parts.join(', ')}; all ${pct(right, positives)}`);
  console.log(
    `    names not listed (n=${neg.length}): false positives ${pct(fp, neg.length)}${tiers ? `, a match below the threshold ${pct(review, neg.length)}` : ''}`,
  );
  console.log(`    latency per query: p50 ${fmt(l.p50)}, p99 ${fmt(l.p99)}, max ${fmt(l.max)} (n=${outcomes.length})`);
  return { accuracy: right / positives, fp: fp / neg.length, p50: l.p50, p99: l.p99 };
}

/** Resolution over ≥ 100,000 names (real plus synthetic), measured against fuse.js on the same names and queries. */
export async function benchResolution(dir: string, options: { rows?: number; perKind?: number; fuseStride?: number } = {}): Promise<void> {
  const rows = options.rows ?? 70_000;
  const perKind = options.perKind ?? 250;
  // The name resolver finds the entity a question names (and how much of the typed name it covers);
  // a sanctions verdict (listed / review / no record) is the screener's, measured under
  // "sanctions screening" below. "Review" here means only a match under the resolver's threshold.
  console.log(
    '\nname resolution at scale (the resolver that finds the entity a question names; sanctions verdicts: see "sanctions screening")',
  );
  const store = await freshStore(join(dir, 'names.db'));
  const sdn = join(dir, 'sdn-large-2023-03.csv');
  writeFileSync(sdn, syntheticSdn(rows, 99).text, 'latin1');
  const imports: string[] = [];
  for (const [paths, opts] of [
    [[KEV_FULL], {}],
    [[join(FEEDS, 'mitre-cti')], {}],
    [[join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')], {}],
    [[sdn], { edition: '2023-03' }],
  ] as const) {
    const [summary, ms] = timed(() => writeImport(store, parse([...paths], opts), new Date()));
    imports.push(`${summary.format} ${fmt(ms)}`);
  }
  const names = store.nameEntries().map((n) => ({ entityId: n.entityId, name: n.name }));
  const types = new Map(
    (store.db.prepare('SELECT id, type FROM entities').all() as { id: string; type: string }[]).map((e) => [e.id, e.type]),
  );
  console.log(
    `  store: ${names.length.toLocaleString('en-US')} names and aliases of ${types.size.toLocaleString('en-US')} entities ` +
      `(curated knowledge, KEV, ATT&CK, Microsoft's table, the 33 real SDN rows and ${(rows - 33).toLocaleString('en-US')} synthetic ones; imports: ${imports.join(', ')})`,
  );

  const queries = buildQueries(names, types, perKind);
  store.db.close();
  // Measured in a fresh process, as a bot that opens this store would run, away from the
  // import's heap: it opens the store, builds the resolver, answers every query once to warm
  // up, then once more with timings.
  const queriesFile = join(dir, 'queries.json');
  writeFileSync(queriesFile, JSON.stringify(queries.map((q) => q.text)));
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure-resolution', join(dir, 'names.db'), queriesFile], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (child.status !== 0) throw new Error(`resolution measurement failed: ${child.stderr}`);
  const measured = JSON.parse(child.stdout) as Measured;
  const mine = measured.outcomes;
  console.log(
    `  resolver (fresh process): opens the persisted name index in ${fmt(measured.openMs)}; builds the typo index on first need in ${fmt(measured.indexMs)}`,
  );
  console.log(
    `  ${queries.length} queries (${perKind} each: misspelled, reordered, alias, not listed), bare names, screening mode; first (cold) pass ${fmt(measured.coldMs)} in all, then measured:`,
  );
  const full = report('ThreatBrief resolver, all queries (threshold 0.80)', queries, mine, true);

  // fuse.js takes most of a second per query at this size, so the head-to-head runs on every
  // `stride`-th query of each kind; both sides answer exactly the same queries.
  const stride = options.fuseStride ?? 6;
  const subset = queries.filter((_, i) => i % stride === 0);
  const mineSubset = mine.filter((_, i) => i % stride === 0);
  const fuseOptions = { keys: ['name'], includeScore: true, threshold: 0.4, ignoreLocation: true, ignoreDiacritics: true };
  const [fuse, fuseBuildMs] = timed(() => new Fuse(names, fuseOptions));
  const theirs = subset.map((q): Outcome => {
    const [results, ms] = timed(() => fuse.search(q.text, { limit: 5 }));
    const top = results[0]?.item.entityId;
    return { ...(top ? { top } : {}), hit: results.length > 0, possible: false, ms };
  });
  console.log(`  head-to-head on the same ${subset.length} queries (every ${stride}th of each kind):`);
  const a = report('ThreatBrief resolver', subset, mineSubset, true);
  const b = report(
    `fuse.js 7.5 (${JSON.stringify(fuseOptions)}; index built in ${fmt(fuseBuildMs)}; any result within its threshold = a hit)`,
    subset,
    theirs,
    false,
  );
  const speedup50 = b.p50 / a.p50;
  const speedup99 = b.p99 / a.p99;
  console.log(
    `  targets: p99 ≤ 2 ms at ${names.length.toLocaleString('en-US')} names — ${target(full.p99 <= 2)} (${fmt(full.p99)} over all ${queries.length} queries)`,
  );
  console.log(
    `           ≥ 20× faster than fuse.js — ${target(speedup50 >= 20 && speedup99 >= 20)} (p50 ${speedup50.toFixed(0)}×, p99 ${speedup99.toFixed(0)}×)`,
  );
  console.log(
    `           top-1 accuracy ≥ fuse.js — ${target(a.accuracy >= b.accuracy)} (${(100 * a.accuracy).toFixed(1)}% vs ${(100 * b.accuracy).toFixed(1)}%)`,
  );
  console.log(`           fewer false positives — ${target(a.fp < b.fp)} (${(100 * a.fp).toFixed(1)}% vs ${(100 * b.fp).toFixed(1)}%)`);

  const answers = latency(measured.answerMs);
  console.log(
    `  "is <name> sanctioned?" answered in the same process (resolution and the composed, cited answer): p50 ${fmt(answers.p50)}, p99 ${fmt(answers.p99)} (n=${measured.answerMs.length})`,
  );

  const cli = join(ROOT, 'dist', 'bundle', 'threatbrief.js');
  const env = { ...process.env, DATABASE_PATH: join(dir, 'names.db'), KNOWLEDGE_DIR: KNOWLEDGE };
  const exact = queries.find((q) => q.kind === 'alias')!.text;
  const misspelt = queries.find((q) => q.kind === 'misspelled')!.text;
  for (const [label, q] of [
    ['a listed name', exact],
    ['a misspelt name (builds the typo index)', misspelt],
  ] as const) {
    const runs = Array.from(
      { length: 5 },
      () => timed(() => spawnSync(process.execPath, [cli, 'ask', `is ${q} sanctioned?`], { env, encoding: 'utf8' }))[1],
    );
    console.log(
      `  threatbrief ask on this ${names.length.toLocaleString('en-US')}-name store, ${label}: ${fmt(latency(runs).p50)} wall (median of 5)`,
    );
  }
}

if (process.argv[2] === '--measure-resolution' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await measureResolution(process.argv[3]!, process.argv[4]!);
}
