import type { KnowledgeView } from '../access/knowledge-view.js';
import { formatDate, quoteUser, typeLabel, urlKey } from '../base/format.js';
import { normalizeText } from '../base/normalize.js';
import type { Screener } from '../screen/screener.js';
import type { AdvisoryRecord, EntityRecord } from '../store/fact-store.js';
import type { Aspect } from '../understand/aspect-phrasings.js';
import type { Resolver } from '../understand/resolve.js';
import type { Reading } from '../understand/understand.js';
import { ASPECT_EVIDENCE, contentWords, type RankedClaim, RELEVANT, rankClaims, stem, wordsHeld } from './rank.js';
import type { EntityRef } from './reply.js';
import { type Answer, HEADLINE_MAX, headlineOf, MAX_SUPPORT, type Said } from './said.js';

/** What every composer gets: the knowledge the conversation may see and the question as read. */
export interface Compose {
  view: KnowledgeView;
  reading: Reading;
  /** Names as the conversation may see them, for telling names apart. */
  resolver: Resolver;
  /** Sanctions screening over the listed names the conversation may see (built on first use). */
  screener: () => Screener;
}

export function ref(e: EntityRecord): EntityRef {
  return { id: e.id, name: e.name, type: e.type };
}

export function refs(view: KnowledgeView, ids: readonly string[]): EntityRef[] {
  return ids.flatMap((id) => {
    const e = view.entity(id);
    return e ? [ref(e)] : [];
  });
}

/** The question's own words, without names and question words: what the facts should hold. */
export function questionWords(reading: Reading): string[] {
  const covered = new Set<number>();
  for (const m of reading.found.mentions) for (let i = m.from; i < m.to; i++) covered.add(i);
  // "US" typed in capitals is the country, not the pronoun.
  const words = reading.tokens
    .filter((_t, i) => !covered.has(i))
    .flatMap((t) => (/^U\.?S\.?$/.test(t.raw) ? ['united', 'states'] : [t.norm]));
  const phrases = QUESTION_PHRASES.filter((p) => p.said.test(reading.text)).flatMap((p) => p.means);
  const places = (reading.places ?? []).flatMap((p) => normalizeText(p).split(' '));
  return [...new Set([...contentWords(words), ...contentWords(places), ...phrases])];
}

/** Phrases whose words say little alone ("get in") and what facts write for them. */
const QUESTION_PHRASES: { said: RegExp; means: string[] }[] = [
  { said: /\b(get|gets|got|getting|break|breaks|broke|gain|gains|gained)\s+(in|into|access)\b/i, means: ['initial access', 'exploit'] },
  { said: /\btake\s+down|took\s+down|taken\s+down/i, means: ['disrupt'] },
];

/** What "I have no record of …" says for each aspect. */
const MISSING: Record<Aspect, string> = {
  profile: 'a profile',
  aliases: 'other names',
  attribution: 'an attribution',
  sanctions: 'a designation',
  targets: 'targets or victims',
  when: 'dates',
  count: 'figures',
  techniques: 'techniques, tools or devices',
  mitigation: 'mitigation advice',
  statements: 'statements',
  location: 'a location',
  relation: 'links to other entities',
  latest: 'recent advisories',
  advisories: 'advisories',
  help: 'help',
  'used-by': 'groups that use it',
  kev: "an entry in CISA's Known Exploited Vulnerabilities catalog",
};

/** Claims that answer the aspect, as sentences; the other side of a relation names itself. */
function said(r: RankedClaim): Said {
  return { text: r.claim.text, sources: r.claim.sources };
}

/**
 * The facts about one entity that answer what was asked: the best claim as the direct answer,
 * the next few as support. Where nothing answers it, says so plainly.
 */
export function composeFacts({ view, reading }: Compose, entity: EntityRecord, aspect: Aspect, extra: readonly string[] = []): Answer {
  const ranked = rankClaims(view, entity.id, aspect, questionWords(reading), extra).filter((r) => r.score >= RELEVANT);
  const entities = [ref(entity), ...relatedRefs(view, ranked, entity.id)];
  if (ranked.length === 0) {
    // Advice and places must be said as such; a fact that merely shares words is not one.
    const retrieved = ASPECT_EVIDENCE[aspect].cueRequired ? undefined : byWords(view, entity, reading);
    return retrieved ?? missing(entity, aspect, entities);
  }
  if (aspect === 'count') {
    // Words of the thing's own names ("botnet" for the Raptor Train botnet) pick out no figure.
    const own = new Set([entity.name, ...view.aliases(entity.id).map((a) => a.name)].flatMap((n) => normalizeText(n).split(' ')).map(stem));
    return composeCount(
      entity,
      ranked,
      entities,
      questionWords(reading).filter((w) => !own.has(stem(w))),
    );
  }
  const { headline, rest } = chooseHeadline(ranked.map(said));
  return { intent: aspect, aspect, title: entity.name, headline, support: rest.slice(0, MAX_SUPPORT), entities };
}

/** Question words a fact must hold for word retrieval alone to answer (one word is too often a coincidence). */
const WORDS_TO_ANSWER = 2;
/** Shorter words ("out", "use") turn up inside too many others to count as held. */
const RETRIEVAL_WORD_MIN = 4;

/**
 * Ranked retrieval when no fact is of the kind the question seems to ask: the fact about the
 * entity that holds most of the question's own words answers, if it holds enough of them, rather
 * than a "no record" about facts that are there in other words.
 */
function byWords(view: KnowledgeView, entity: EntityRecord, reading: Reading): Answer | undefined {
  const words = [...new Set(questionWords(reading))].filter((w) => w.length >= RETRIEVAL_WORD_MIN);
  if (words.length < WORDS_TO_ANSWER) return undefined;
  const facts = [...view.claims(entity.id), ...view.claimsAbout(entity.id)]
    .map((claim, order) => ({ claim, order, held: wordsHeld(words, claim.text) }))
    .filter((x) => x.held >= WORDS_TO_ANSWER)
    .sort((a, b) => b.held - a.held || a.order - b.order);
  if (facts.length === 0) return undefined;
  const { headline, rest } = chooseHeadline(facts.map((x) => ({ text: x.claim.text, sources: x.claim.sources })));
  return {
    intent: reading.aspect,
    aspect: reading.aspect,
    title: entity.name,
    headline,
    support: rest.slice(0, MAX_SUPPORT),
    entities: [ref(entity)],
  };
}

/** A number in words or figures, in a fact that gives one without a structured quantity. */
const NUMBER_WORDS = /\b\d[\d,.]*\b|\b(dozens|hundreds|thousands|millions?)\b/;
const MONTH_NAMES =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
/** Numbers that are not figures: dates, years, identifiers (C0035, CVE-2024-12356, E.O. 13694). */
const NOT_FIGURES = new RegExp(
  [
    `\\b\\d{1,2}\\s+(?:${MONTH_NAMES})\\b`,
    `\\b(?:${MONTH_NAMES})\\s+\\d{1,2}\\b`,
    '\\b(?:19|20)\\d{2}\\b',
    '\\b[A-Za-z]+[-.]?\\d[\\w.-]*',
    '\\b\\d{4}-\\d{2}(?:-\\d{2})?\\b',
  ].join('|'),
  'gi',
);

/** Whether a fact's words give a figure, once its dates and identifiers are set aside. */
function givesFigure(text: string): boolean {
  return NUMBER_WORDS.test(text.replace(NOT_FIGURES, ' '));
}

/** Units of a figure that count a part of the whole ("devices in Vietnam", "percent of …", "active devices"). */
const PART_OF_WHOLE = /\bin\b|percent|active|peak|since/;

/**
 * "How many": the figures the question asks for. A question about the whole gets every
 * source's total side by side in the direct answer, so that none is hidden below another; a
 * question about a part ("in Vietnam", "at its peak") gets the figures for that part.
 */
function composeCount(entity: EntityRecord, ranked: readonly RankedClaim[], entities: EntityRef[], words: readonly string[]): Answer {
  const answer = (headline: Said, support: Said[]): Answer => ({
    intent: 'count',
    aspect: 'count',
    title: entity.name,
    headline,
    support: support.slice(0, MAX_SUPPORT),
    entities,
  });
  // Every fact that gives a number: with a structured quantity, or in its words ("498 employees", "dozens").
  const numbers = ranked.filter((r) => r.claim.quantity || givesFigure(r.claim.text));
  if (numbers.length === 0) return missing(entity, 'count', entities);
  // Words that pick some of them out of the rest ("Vietnam", "peak", "employees"), not ones they all have ("devices").
  // A structured figure is told apart by its unit and qualifier only: "botnet" in "how big was
  // their botnet" is in the text of some figures but picks none of them out.
  const holds = (r: RankedClaim, w: string) => {
    const q = r.claim.quantity;
    return normalizeText(q ? `${q.unit} ${q.qualifier ?? ''}` : r.claim.text).includes(stem(w));
  };
  const telling = words.filter((w) => numbers.some((r) => holds(r, w)) && !numbers.every((r) => holds(r, w)));
  const specific = numbers.filter((r) => telling.some((w) => holds(r, w)));
  if (specific.length > 0) return answer(said(specific[0]!), specific.slice(1).map(said));
  const figures = numbers.filter((r) => r.claim.quantity);
  if (figures.length === 0) return answer(said(numbers[0]!), numbers.slice(1).map(said));
  const totals = figures.filter((r) => !PART_OF_WHOLE.test(r.claim.quantity!.unit));
  const byValue = new Map<number, RankedClaim>();
  for (const r of totals) if (!byValue.has(r.claim.quantity!.value)) byValue.set(r.claim.quantity!.value, r);
  const distinct = [...byValue.values()].sort((a, b) => b.claim.quantity!.value - a.claim.quantity!.value);
  if (distinct.length > 1) {
    const shown = distinct.slice(0, 2);
    const headline = {
      text: `The sources give different figures: ${shown.map((r) => r.claim.text.replace(/\.$/, '')).join('; ')}.`,
      sources: shown.flatMap((r) => r.claim.sources),
    };
    return answer(headline, [...distinct.slice(2), ...figures.filter((r) => !distinct.includes(r))].map(said));
  }
  const lines = (totals.length ? [...totals, ...figures.filter((r) => !totals.includes(r))] : ranked).map(said);
  return answer(lines[0]!, lines.slice(1));
}

/** The first sentence short enough to be the direct answer; the others follow it. */
export function chooseHeadline(lines: readonly Said[]): { headline: Said; rest: Said[] } {
  const i = lines.findIndex((l) => headlineOf(l.text).length <= HEADLINE_MAX);
  if (i >= 0) return { headline: { text: headlineOf(lines[i]!.text), sources: lines[i]!.sources }, rest: lines.filter((_l, j) => j !== i) };
  // Every fact is one long sentence: rendering shortens the lead (see render).
  return { headline: lines[0]!, rest: lines.slice(1) };
}

/** "I have no record of … for X", with the one thing that is on record about X. */
export function missing(entity: EntityRecord, aspect: Aspect, entities: EntityRef[] = [ref(entity)]): Answer {
  return {
    intent: aspect,
    aspect,
    title: entity.name,
    headline: { text: `I have no record of ${MISSING[aspect]} for ${entity.name}.`, sources: [] },
    support: [{ text: headlineOf(entity.summary), sources: entity.summarySources }],
    entities,
  };
}

function relatedRefs(view: KnowledgeView, ranked: readonly RankedClaim[], entityId: string): EntityRef[] {
  const ids: string[] = [];
  for (const r of ranked.slice(0, MAX_SUPPORT + 1)) {
    const other = r.inverse ? r.claim.entityId : r.claim.objectId;
    if (other && other !== entityId && !ids.includes(other)) ids.push(other);
  }
  return refs(view, ids);
}

/** Who or what X is: its summary, its designation if any, and the facts closest to the question. */
export function composeProfile(c: Compose, entity: EntityRecord): Answer {
  const { view } = c;
  const support: Said[] = [];
  for (const s of view.sanctionsOf(entity.id)) {
    const by = view.entity(s.designatedBy)?.name ?? s.designatedBy;
    support.push({
      text: s.list
        ? `Listed as “${s.list.listedName}” on the ${s.list.name} (${formatDate(s.list.edition)} edition).`
        : `${s.status === 'active' ? 'Designated' : 'Formerly designated'} by ${by} on ${formatDate(s.date)}.`,
      sources: s.sources,
    });
  }
  const summaryWords = new Set(normalizeText(entity.summary).split(' '));
  const words = questionWords(c.reading);
  const ranked = rankClaims(view, entity.id, 'profile', words).filter(
    (r) => !r.inverse && r.claim.id !== 0 && !echoes(r.claim.text, summaryWords),
  );
  // What the question adds to the name ("what's Sparrow in Raptor Train") comes before the rest.
  const asked = ranked.filter((r) => words.some((w) => normalizeText(r.claim.text).includes(w)));
  for (const r of [...asked, ...ranked.filter((x) => !asked.includes(x))].slice(0, MAX_SUPPORT)) support.push(said(r));
  // A vulnerability is described by its advisory (the catalog entry).
  if (entity.type === 'vulnerability') {
    for (const a of view.advisoriesAbout(entity.id, 1)) support.unshift({ text: headlineOf(a.summary), sources: a.sources });
  }
  const aliases = view.aliases(entity.id).filter((a) => a.kind !== 'identifier' || a.usedBy);
  const sections = aliases.length
    ? [{ heading: 'Also known as', lines: [{ text: aliasList(aliases.slice(0, ALIASES_SHOWN)), sources: [] }] }]
    : undefined;
  const headline = headlineOf(entity.summary);
  const type = typeLabel(entity.type);
  return {
    intent: 'profile',
    aspect: 'profile',
    title: entity.name,
    // "Threat actor" beside the title, unless the direct answer already says it ("… is Microsoft's name for a threat actor").
    ...(headline.toLowerCase().includes(type.toLowerCase()) ? {} : { subtitle: type }),
    headline: { text: headline, sources: entity.summarySources },
    support: support.slice(0, MAX_SUPPORT),
    ...(sections ? { sections } : {}),
    entities: [ref(entity)],
  };
}

/** Aliases shown in a profile; the aliases question shows them all. */
const ALIASES_SHOWN = 8;

/** Whether a claim mostly repeats the summary (most of its words are in it). */
function echoes(text: string, summaryWords: ReadonlySet<string>): boolean {
  const words = normalizeText(text).split(' ');
  return words.filter((w) => summaryWords.has(w)).length / words.length > 0.8;
}

/** "Storm-0919 (Microsoft), ETHEREAL PANDA (CrowdStrike)"; names one source gives share one mention of it. */
export function aliasList(aliases: readonly { name: string; usedBy?: string | undefined }[]): string {
  const groups = new Map<string, string[]>();
  for (const a of aliases) {
    const key = a.usedBy ?? '';
    const names = groups.get(key);
    if (names) names.push(a.name);
    else groups.set(key, [a.name]);
  }
  return [...groups.entries()].map(([usedBy, names]) => (usedBy ? `${names.join(', ')} (${usedBy})` : names.join(', '))).join(', ');
}

/**
 * Advisories about an entity, newest first; those about every entity the question names come
 * first ("what did Lumen publish on Raptor Train"). A pasted link to an advisory gets its summary.
 */
export function composeAdvisories(c: Compose, entity: EntityRecord): Answer {
  const linked = c.reading.links.flatMap((l) => c.view.advisoriesAt(urlKey(l)));
  if (linked.length > 0) {
    const a = linked[0]!;
    return {
      intent: 'advisories',
      aspect: 'advisories',
      title: a.title,
      headline: { text: headlineOf(a.summary), sources: a.sources },
      support: [advisoryLine(a)],
      entities: refs(c.view, a.entities),
    };
  }
  const others = c.reading.subjects.filter((id) => id !== entity.id);
  const all = c.view.advisoriesAbout(entity.id, ADVISORIES_SHOWN * 2);
  // About every name the question gives, when there are such advisories; else about the first.
  const both = all.filter((a) => others.every((id) => a.entities.includes(id)));
  const advisories = (both.length > 0 ? both : all).slice(0, ADVISORIES_SHOWN);
  if (advisories.length === 0) return missing(entity, 'advisories');
  const lines = advisories.map(advisoryLine);
  return {
    intent: 'advisories',
    aspect: 'advisories',
    title: `Advisories about ${entity.name}`,
    headline: lines[0]!,
    support: lines.slice(1),
    entities: [ref(entity)],
  };
}

/** How many advisories an answer lists. */
const ADVISORIES_SHOWN = 5;

export function advisoryLine(a: AdvisoryRecord): Said {
  return {
    text: `${a.title} — ${a.publisher}, ${formatDate(a.published)}${a.url ? ` (${a.url})` : ''}.`,
    sources: a.sources,
    trusted: true,
  };
}

/** An advisory's own identifier, as its publisher numbers it ("AA25-239A", "ICSA-24-123-01"). */
const ADVISORY_ID = /^[a-z]{2,6}(?:-?\d{2,})(?:-\w+)+$/i;
/** Advisories a search for an identifier reads. */
const ADVISORIES_SEARCHED = 5;

/**
 * "when was AA25-239A published?": an advisory named by its identifier, which is in its title,
 * summary or address rather than among the names of things.
 */
export function composeAdvisoryNamed(c: Compose, typed: string): Answer | undefined {
  const id = typed.trim();
  if (!ADVISORY_ID.test(id)) return undefined;
  const bare = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  const holds = (a: AdvisoryRecord) =>
    [a.title, a.summary, a.url ?? ''].some((t) =>
      t
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .includes(bare),
    );
  const found = c.view
    .searchFacts(id.split(/[^A-Za-z0-9]+/).filter(Boolean), ADVISORIES_SEARCHED)
    .flatMap((h) => (h.kind === 'advisory' ? [c.view.advisory(h.ref)] : []))
    .find((a): a is AdvisoryRecord => a !== undefined && holds(a));
  if (!found) return undefined;
  return {
    intent: 'advisories',
    aspect: 'advisories',
    title: found.title,
    headline: {
      text: `${id.toUpperCase()}, “${found.title}”, was published on ${formatDate(found.published)} by ${found.publisher}.`,
      sources: found.sources,
    },
    support: [
      { text: headlineOf(found.summary), sources: found.sources },
      ...(found.url ? [{ text: `The advisory: ${found.url}`, sources: [], trusted: true }] : []),
    ],
    entities: refs(c.view, found.entities),
  };
}

/** The newest advisories, or the newest about one entity. */
export function composeLatest(c: Compose, entity?: EntityRecord): Answer {
  if (entity) {
    const answer = composeAdvisories(c, entity);
    if (!answer.headline.text.startsWith('I have no record')) return { ...answer, intent: 'latest', aspect: 'latest' };
    // No advisory about it: its most recent dated facts are the latest on record.
    const dated = c.view
      .claims(entity.id)
      .filter((cl) => cl.date)
      .sort((a, b) => b.date!.localeCompare(a.date!))
      .slice(0, MAX_SUPPORT + 1)
      .map((cl) => ({ text: cl.text, sources: cl.sources }));
    if (dated.length === 0) return { ...answer, intent: 'latest', aspect: 'latest' };
    return {
      intent: 'latest',
      aspect: 'latest',
      title: entity.name,
      headline: dated[0]!,
      support: dated.slice(1),
      notes: [`No advisory about ${entity.name} is on record; these are its most recent dated facts.`],
      entities: [ref(entity)],
    };
  }
  const advisories = c.view.latestAdvisories(ADVISORIES_SHOWN);
  if (advisories.length === 0) {
    return {
      intent: 'latest',
      aspect: 'latest',
      title: 'Latest advisories',
      headline: { text: 'I have no advisories on record yet.', sources: [] },
      support: [],
      entities: [],
    };
  }
  const lines = advisories.map(advisoryLine);
  const ids = [...new Set(advisories.flatMap((a) => a.entities))];
  return {
    intent: 'latest',
    aspect: 'latest',
    title: 'Latest advisories',
    headline: lines[0]!,
    support: lines.slice(1),
    entities: refs(c.view, ids),
  };
}

/** "which one do you mean?": a choice per candidate, each asking the same question about it. */
export function composeChoice(c: Compose, typed: string, candidates: readonly string[]): Answer {
  const entities = refs(c.view, candidates);
  return {
    intent: 'clarify',
    aspect: c.reading.aspect,
    title: 'Which one do you mean?',
    headline: { text: `Which one do you mean by “${quoteUser(typed)}”: ${entities.map((e) => e.name).join(', ')}?`, sources: [] },
    support: [],
    choices: {
      prompt: 'Choose one:',
      choices: entities.map((e) => ({ label: `${e.name} (${typeLabel(e.type)})`, command: questionFor(c.reading.aspect, e.name) })),
    },
    entities,
  };
}

/** The question a choice button asks about the chosen entity. */
export function questionFor(aspect: Aspect, name: string): string {
  const templates: Partial<Record<Aspect, string>> = {
    sanctions: `is ${name} sanctioned?`,
    attribution: `who is behind ${name}?`,
    aliases: `other names of ${name}`,
    targets: `what does ${name} target?`,
    when: `when did ${name} start?`,
    count: `how many devices were in ${name}?`,
    techniques: `how does ${name} get in?`,
    relation: `who is ${name} linked to?`,
    statements: `what was said about ${name}?`,
    location: `where is ${name} based?`,
    mitigation: `what should we do about ${name}?`,
    advisories: `advisories about ${name}`,
    latest: `latest on ${name}`,
  };
  return templates[aspect] ?? `who is ${name}?`;
}

/** A name the bot does not know: said plainly, with what was checked. */
export function composeUnknown(c: Compose, typed: string): Answer {
  const counts = c.view.counts();
  return {
    intent: 'unknown',
    aspect: c.reading.aspect,
    title: 'No record',
    headline: { text: `I have no record of ${quoteUser(typed)}.`, sources: [] },
    support: [],
    notes: [
      `I checked ${counts.names.toLocaleString('en-US')} names and aliases of ${counts.entities.toLocaleString('en-US')} entities. Ask “help” for what I can answer.`,
    ],
    entities: [],
  };
}
