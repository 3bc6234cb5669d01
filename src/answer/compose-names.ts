import type { AliasRecord, EntityRecord } from '../store/fact-store.js';
import { aliasList, type Compose, composeFacts, questionWords, ref, refs } from './compose.js';
import { RELEVANT, rankClaims } from './rank.js';
import type { Answer, Said } from './said.js';

/** Which kind of name a question asks for, by the words it uses. */
const NAME_KINDS: { words: RegExp; kinds: readonly string[]; usedBy?: RegExp }[] = [
  { words: /\b(ticker|stock|listed on|exchange)\b/, kinds: ['ticker'] },
  { words: /\b(chinese|native|local|mandarin)\b/, kinds: ['native-name'] },
  { words: /\b(mitre|miter|att ?& ?ck|attack|group id|id)\b/, kinds: ['identifier'], usedBy: /mitre/i },
  { words: /\b(former|before|used to|old)\b/, kinds: ['former-name'] },
];

/**
 * Other names of X, or whether two names are the same thing: from the alias records, each
 * with who uses it. Two names of one entity are the same; names of two entities are not, and
 * the answer says whose each name is.
 */
export function composeNames(c: Compose): Answer {
  const { view, reading } = c;
  const [first, second] = reading.subjects.map((id) => view.entity(id)!);
  if (!first) throw new Error('composeNames needs a subject');
  if (reading.cues.sameAs || second || reading.unknownName) {
    const sameEntity =
      reading.found.mentions.length >= 2 && reading.found.mentions.every((m) => m.entityIds.length === 1 && m.entityIds[0] === first.id);
    if (sameEntity) return same(c, first);
    if (second) return different(c, first, second);
    if (reading.unknownName) return notAName(c, first, reading.unknownName.typed);
  }
  return list(c, first);
}

function aliasSaid(entity: EntityRecord, a: AliasRecord): string {
  return `${a.name} is ${a.usedBy ? `the name ${a.usedBy} uses` : 'another name'} for ${entity.name}`;
}

/** "is ETHEREAL PANDA the same as Flax Typhoon?" — yes, with who uses which name. */
function same(c: Compose, entity: EntityRecord): Answer {
  const typed = c.reading.found.mentions.map((m) => [...m.names.values()][0]!);
  const aliases = c.view.aliases(entity.id);
  const lines: Said[] = [];
  for (const row of typed) {
    const alias = aliases.find((a) => a.name === row.name);
    if (alias) lines.push({ text: `${aliasSaid(entity, alias)}.`, sources: [] });
  }
  const names = [...new Set(typed.map((t) => t.name))];
  return {
    intent: 'aliases',
    aspect: 'aliases',
    title: entity.name,
    headline: { text: `Yes — ${names.join(' and ')} are names of the same ${kindWord(entity)}, ${entity.name}.`, sources: [] },
    support: lines,
    entities: [ref(entity)],
  };
}

/** "is Vanguard Panda Flax Typhoon?" — no: whose name each one is, and any link between them. */
function different(c: Compose, a: EntityRecord, b: EntityRecord): Answer {
  const typedA = c.reading.found.mentions.find((m) => m.entityIds.includes(a.id))?.typed ?? a.name;
  const typedB = c.reading.found.mentions.find((m) => m.entityIds.includes(b.id))?.typed ?? b.name;
  const whose = (typed: string, e: EntityRecord) => (typed.toLowerCase() === e.name.toLowerCase() ? e.name : `${typed} is ${e.name}`);
  const links = rankClaims(c.view, a.id, 'relation', [], nameWords(b))
    .filter((r) => r.score >= RELEVANT && (r.claim.objectId === b.id || r.claim.entityId === b.id))
    .slice(0, 2)
    .map((r) => ({ text: r.claim.text, sources: r.claim.sources }));
  const ownAliases = (e: EntityRecord) =>
    c.view
      .aliases(e.id)
      .slice(0, 3)
      .map((x) => x.name);
  const support: Said[] = [...links];
  for (const e of [a, b]) {
    const names = ownAliases(e);
    if (names.length) support.push({ text: `${e.name} is also known as ${names.join(', ')}.`, sources: [] });
  }
  return {
    intent: 'aliases',
    aspect: 'aliases',
    title: `${a.name} and ${b.name}`,
    headline: {
      text: `No — I have them as two different entries: ${whose(typedA, a)} and ${whose(typedB, b)}${links.length ? ', though the sources link them' : ''}.`,
      sources: [],
    },
    support,
    entities: [ref(a), ref(b)],
  };
}

/** "is Storm-0940 Flax Typhoon?" with Storm-0940 unknown: not a name on record, and the names that are. */
function notAName(c: Compose, entity: EntityRecord, typed: string): Answer {
  const aliases = c.view.aliases(entity.id);
  return {
    intent: 'aliases',
    aspect: 'aliases',
    title: entity.name,
    headline: { text: `I have no record of ${typed} as a name of ${entity.name}; it is not one of its names on record.`, sources: [] },
    support: aliases.length
      ? [
          {
            text: `${entity.name} is also known as ${aliases.map((a) => (a.usedBy ? `${a.name} (${a.usedBy})` : a.name)).join(', ')}.`,
            sources: aliasSources(aliases),
          },
        ]
      : [],
    entities: [ref(entity)],
  };
}

/** Other names of X; the kind asked for (ticker, ATT&CK id, native name) first. */
function list(c: Compose, entity: EntityRecord): Answer {
  const words = ` ${c.reading.text.toLowerCase()} `;
  const asked = NAME_KINDS.find((k) => k.words.test(words));
  const aliases = c.view.aliases(entity.id);
  const wanted = asked ? aliases.filter((a) => asked.kinds.includes(a.kind) && (!asked.usedBy || asked.usedBy.test(a.usedBy ?? ''))) : [];
  if (asked && wanted.length === 0) {
    // No alias of that kind: a fact may say so ("Flax Typhoon has no MITRE ATT&CK group ID").
    const facts = composeFacts(c, entity, 'aliases', questionWords(c.reading));
    if (facts.intent === 'aliases' && !facts.headline.text.startsWith('I have no record')) return facts;
  }
  if (/\bfull\b|\blegal\b|\bofficial\b/.test(words)) {
    return {
      intent: 'aliases',
      aspect: 'aliases',
      title: entity.name,
      headline: { text: `Its full name is ${entity.name}.`, sources: entity.summarySources },
      support: [],
      entities: [ref(entity)],
    };
  }
  if (aliases.length === 0) {
    return {
      intent: 'aliases',
      aspect: 'aliases',
      title: entity.name,
      headline: { text: `I have no record of other names for ${entity.name}.`, sources: [] },
      support: [],
      entities: [ref(entity)],
    };
  }
  const first = wanted.length ? wanted : aliases;
  const rest = aliases.filter((a) => !first.includes(a));
  const describe = aliasList;
  return {
    intent: 'aliases',
    aspect: 'aliases',
    title: entity.name,
    headline: { text: `${entity.name} is also known as ${describe(first)}.`, sources: aliasSources(first) },
    support: rest.length ? [{ text: `Other names: ${describe(rest)}.`, sources: aliasSources(rest) }] : [],
    entities: refs(c.view, [entity.id]),
  };
}

function aliasSources(aliases: readonly AliasRecord[]): string[] {
  return [...new Set(aliases.flatMap((a) => a.sources ?? []))];
}

function nameWords(e: EntityRecord): string[] {
  return e.name
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 3);
}

function kindWord(e: EntityRecord): string {
  return e.type === 'threat-actor' ? 'group' : e.type === 'person' ? 'person' : e.type === 'organization' ? 'company' : 'entity';
}
