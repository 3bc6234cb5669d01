/**
 * Writes the labelled screening pairs of eval/screening/ from the full-size list's real names
 * (bench/screening-list.ts): a query as a user would type it, and the verdict it should get.
 * Run once, before any tuning, to write tune.jsonl and heldout.jsonl; the files are then frozen
 * (the held-out one is never looked at while tuning). Kept so that anyone can see how the set
 * was made: `node dist/bench/screening-pairs.js OUT_DIR`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKnowledgeView } from '../src/access/knowledge-view.js';
import { listedNames } from '../src/screen/listed-names.js';
import { nameParts } from '../src/screen/name-parts.js';
import type { ListedName } from '../src/screen/screener.js';
import { fullSizeStore } from './screening-list.js';

export interface LabelledPair {
  query: string;
  /** listed: "listed" with `entity`; review: "review" naming `entity`; no-record; not-listed: review or no-record, never "listed". */
  expect: 'listed' | 'review' | 'no-record' | 'not-listed';
  entity?: string;
  kind: string;
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const title = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

const CYRILLIC: [string, string][] = [
  ['shch', 'щ'],
  ['yevich', 'евич'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['ye', 'е'],
  ['yo', 'ё'],
  ['iy', 'ий'],
  ['yy', 'ый'],
  ['y', 'й'],
  ...[...'abvgdezijklmnoprstufx'].map((c) => [c, 'абвгдезийклмнопрстуфкс'['abvgdezijklmnoprstufx'.indexOf(c)]!] as [string, string]),
];

/** A Russian name in Latin letters written back in Cyrillic, as a Russian speaker would type it. */
function toCyrillic(latin: string): string {
  return latin
    .split(' ')
    .map((word) => {
      let w = word.toLowerCase();
      let out = '';
      while (w) {
        const rule = CYRILLIC.find(([from]) => w.startsWith(from));
        if (!rule) {
          w = w.slice(1);
          continue;
        }
        out += rule[1];
        w = w.slice(rule[0].length);
      }
      return out.charAt(0).toUpperCase() + out.slice(1);
    })
    .join(' ');
}

const GIVEN =
  'James Mary Robert Patricia Michael Linda David Susan Daniel Karen Thomas Nancy Paul Lisa Mark Sandra Steven Emily Andrew Donna Kevin Laura Brian Rebecca Olga Natalia Pierre Sophie Lukas Hannah Mateo Lucia Kenji Yuki Wei Mei Arjun Priya Tomasz Agnieszka'.split(
    ' ',
  );
const SURNAME =
  'Thompson Whitaker Lindqvist Kowalczyk Fairbanks Okonkwo Brennan Hollister Vasquez Moreau Nakamura Ellsworth Sandoval Rasmussen Castellano Pemberton Ashworth Delacroix Gallagher Novak Haugen Takahashi Oyelaran Bergstrom Mancini Whitfield Kristiansen Albrecht Dunmore Fitzgerald'.split(
    ' ',
  );
const COMPANY_A =
  'Northwind Bluewater Silverline Redwood Clearpoint Brightstone Meadowbrook Ironbridge Harborview Summit Cedar Lakeshore Granite Evergreen Riverside'.split(
    ' ',
  );
const COMPANY_B =
  'Logistics Analytics Bakery Dental Software Consulting Furniture Textiles Robotics Orchards Printing Ceramics Brewing Plumbing Optics'.split(
    ' ',
  );
const COMPANY_C = ['Ltd', 'LLC', 'Inc.', 'GmbH', 'S.A.', 'Co.', 'PLC', ''];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function typo(rnd: () => number, word: string): string {
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const c = 'abcdefghijklmnoprstuvy'[Math.floor(rnd() * 22)]!;
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) return word.slice(0, i) + c + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
}

/** The labelled pairs, in a fixed order (the same every run). */
export function labelledPairs(names: readonly ListedName[], perKind = 40, seed = 17): LabelledPair[] {
  const rnd = random(seed);
  const byEntity = new Map<string, ListedName[]>();
  for (const n of names) byEntity.set(n.entityId, [...(byEntity.get(n.entityId) ?? []), n]);
  // Names that name exactly one entity: a pair's right answer must be one entry.
  const owners = new Map<string, Set<string>>();
  for (const n of names) {
    const key = nameParts(n.name)
      .words.map((w) => w.text)
      .sort()
      .join(' ');
    owners.set(key, (owners.get(key) ?? new Set()).add(n.entityId));
  }
  const unique = (n: ListedName) =>
    owners.get(
      nameParts(n.name)
        .words.map((w) => w.text)
        .sort()
        .join(' '),
    )!.size === 1;
  const strong = names.filter((n) => !n.weak && unique(n));
  const people = strong.filter((n) => n.type === 'person' && /^[^,]+, \S/.test(n.name));
  const entities = strong.filter((n) => n.type !== 'person');
  const out: LabelledPair[] = [];
  const seen = new Set<string>();
  // Entities by word, to leave out queries whose words several entries share ("Hasan Ali"): their right answer is not one entry.
  const withWord = new Map<string, Set<string>>();
  for (const n of names)
    for (const w of nameParts(n.name).words) if (!w.legal) withWord.set(w.text, (withWord.get(w.text) ?? new Set()).add(n.entityId));
  const sharedBy = (query: string) => {
    const ws = nameParts(query).words.filter((w) => !w.legal);
    let ids: Set<string> | undefined;
    for (const w of ws) {
      const has = withWord.get(w.text) ?? new Set<string>();
      ids = ids ? new Set([...ids].filter((id) => has.has(id))) : has;
    }
    return ids?.size ?? 0;
  };
  const push = (p: LabelledPair) => {
    if (seen.has(p.query.toLowerCase())) return false;
    if (p.expect === 'listed' && !/[^\x00-\x7f]/.test(p.query) && sharedBy(p.query) > 1) return false;
    seen.add(p.query.toLowerCase());
    out.push(p);
    return true;
  };
  const split = (n: ListedName) => {
    const [last, rest] = n.name.split(/,\s*/, 2) as [string, string];
    return { last: last.split(/\s+/), given: rest.split(/\s+/) };
  };
  const repeat = (kind: string, make: () => LabelledPair | undefined) => {
    for (let k = 0, tries = 0; k < perKind && tries < perKind * 50; tries++) {
      const p = make();
      if (p && push({ ...p, kind })) k++;
    }
  };
  repeat('primary name as listed', () => {
    const n = pick(
      rnd,
      strong.filter((x) => x.primary),
    );
    return { query: rnd() < 0.5 ? n.name : n.name.toLowerCase(), expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('alternate name (ALT.CSV)', () => {
    const n = pick(
      rnd,
      strong.filter((x) => !x.primary),
    );
    return { query: n.name, expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('person, given names first', () => {
    const n = pick(rnd, people);
    const { last, given } = split(n);
    return { query: `${given.join(' ')} ${last.map(title).join(' ')}`, expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('person without middle names or patronymic', () => {
    const n = pick(rnd, people);
    const { last, given } = split(n);
    if (given.length < 2 || given[0]!.length < 3) return undefined;
    return { query: `${given[0]} ${last.map(title).join(' ')}`, expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('person without the second surname', () => {
    const n = pick(rnd, people);
    const { last, given } = split(n);
    if (last.length !== 2 || last.some((w) => w.length < 3 || /-/.test(w))) return undefined;
    return { query: `${given[0]} ${title(last[0]!)}`, expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('company with another legal form or none', () => {
    const n = pick(rnd, entities);
    const parts = nameParts(n.name).words;
    if (!parts.some((w) => w.legal) || parts.filter((w) => !w.legal).length < 2) return undefined;
    const core = parts.filter((w) => !w.legal).map((w) => title(w.text));
    return {
      query: `${core.join(' ')}${pick(rnd, [' Limited', ' Company', ' Corp', ''])}`,
      expect: 'listed',
      entity: n.entityId,
      kind: '',
    };
  });
  repeat('hyphens and apostrophes dropped or run together', () => {
    const n = pick(rnd, strong);
    if (!/[-']/.test(n.name)) return undefined;
    return { query: n.name.replace(/'/g, '').replace(/-/g, rnd() < 0.5 ? '' : ' '), expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('one letter wrong in a long word', () => {
    const n = pick(rnd, strong);
    const words = n.name.split(' ');
    const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]{8,}$/.test(w));
    if (long.length === 0 || words.length < 2) return undefined;
    const [w, i] = pick(rnd, long);
    words[i] = typo(rnd, w);
    return { query: words.join(' '), expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('Russian name typed in Cyrillic', () => {
    const n = pick(rnd, people);
    const { last, given } = split(n);
    if (given.length < 2 || !/(ovich|evich)$/i.test(given[given.length - 1]!) || last.length !== 1) return undefined;
    return { query: toCyrillic(`${given[0]} ${last[0]}`), expect: 'listed', entity: n.entityId, kind: '' };
  });
  repeat('surname alone', () => {
    const n = pick(rnd, people);
    const { last } = split(n);
    if (last.join('').length < 6) return undefined;
    const query = last.map(title).join(' ');
    const sharing = people.filter((p) => split(p).last.join(' ').toLowerCase() === last.join(' ').toLowerCase());
    if (new Set(sharing.map((p) => p.entityId)).size !== 1) return undefined;
    return { query, expect: 'review', entity: n.entityId, kind: '' };
  });
  // Unlisted names: ordinary people and companies that are on no list.
  const listedWords = new Set(names.flatMap((n) => nameParts(n.name).words.map((w) => w.text)));
  repeat('unlisted person', () => {
    const first = pick(rnd, GIVEN);
    const last = pick(rnd, SURNAME);
    if (listedWords.has(last.toLowerCase())) return undefined;
    return { query: `${first} ${last}`, expect: 'no-record', kind: '' };
  });
  repeat('unlisted company', () => {
    const query = `${pick(rnd, COMPANY_A)} ${pick(rnd, COMPANY_B)} ${pick(rnd, COMPANY_C)}`.trim();
    return { query, expect: 'no-record', kind: '' };
  });
  // Look-alikes: a listed surname with another given name; a listed company with a word more.
  repeat('look-alike: listed surname, another given name', () => {
    const n = pick(rnd, people);
    const { last } = split(n);
    if (last.join('').length < 5) return undefined;
    const first = pick(rnd, GIVEN);
    if (names.some((x) => x.name.toLowerCase().includes(first.toLowerCase()) && x.name.toLowerCase().includes(last[0]!.toLowerCase())))
      return undefined;
    return { query: `${first} ${last.map(title).join(' ')}`, expect: 'not-listed', kind: '' };
  });
  repeat('look-alike: listed company with a word more', () => {
    const n = pick(
      rnd,
      entities.filter((x) => nameParts(x.name).words.filter((w) => !w.legal).length >= 2),
    );
    const word = pick(rnd, COMPANY_A);
    return { query: `${word} ${n.name}`, expect: 'not-listed', kind: '' };
  });
  return out;
}

/** Which split a pair belongs to: by its entry (or its text when unlisted), so one entry never feeds both. */
export function isHeldOut(p: LabelledPair): boolean {
  let h = 0;
  for (const ch of p.entity ?? p.query) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h % 5 < 2;
}

if (process.argv[1]?.endsWith('screening-pairs.js')) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: node dist/bench/screening-pairs.js OUT_DIR');
  const { store } = fullSizeStore(mkdtempSync(join(tmpdir(), 'pairs-')));
  const pairs = labelledPairs(listedNames(createKnowledgeView(store, 'CLEAR')));
  const lines = (ps: LabelledPair[]) => `${ps.map((p) => JSON.stringify(p)).join('\n')}\n`;
  writeFileSync(join(outDir, 'tune.jsonl'), lines(pairs.filter((p) => !isHeldOut(p))));
  writeFileSync(join(outDir, 'heldout.jsonl'), lines(pairs.filter(isHeldOut)));
  console.log(`${pairs.length} pairs: ${pairs.filter((p) => !isHeldOut(p)).length} tune, ${pairs.filter(isHeldOut).length} held out`);
}
