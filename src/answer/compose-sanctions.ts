import type { KnowledgeView } from '../access/knowledge-view.js';
import { formatDate, quoteUser, urlKey } from '../base/format.js';
import { normalizeName, normalizeText } from '../base/normalize.js';
import { BANDS, delistedVerdict } from '../screen/bands.js';
import { type Hit, NOTHING_CLOSE, type Screener, type ScreeningResult } from '../screen/screener.js';
import type { EntityRecord, SanctionRecord } from '../store/fact-store.js';
import { type Compose, ref, refs } from './compose.js';
import type { EntityRef, Screening } from './reply.js';
import { type Answer, HEADLINE_MAX, type Said } from './said.js';

/**
 * Answers "is X sanctioned?" and its variants ("can we pay X?", "was X sanctioned for Y?",
 * "are A and B both sanctioned?", "who was sanctioned over Y?") from the curated designations
 * and the imported sanctions lists. A yes needs a designation on record; a question built on a
 * wrong date, body or reason gets the correction; and where nothing is on record the answer
 * says what was checked and, with no list loaded, that it can't say whether X is listed.
 */
export interface SanctionsDeps {
  /** Name screening against the names on the lists the conversation may see (built on first use). */
  screener: () => Screener;
}

const DEALING =
  /\b(pay|paying|payment|wire|business|deal|dealing|trade|trading|buy|sell|accept|allowed|ok to|okay to|legal to|work with|transact)/;
const WHY = /\b(why|reason|for what|what for|grounds|basis)\b/;
const EFFECTS = /\b(effects?|mean|means|impact|consequences?|blocks?)\b/;
const REFERENCE = /\b(press release|release|link|source|reference)\b/;
const ASKS_WHO = /\b(who|whom|anyone|anybody|which (companies|people|entities)|what did .* sanction)\b/;
const PREMISE_LINK = /\b(for|over|because of|in connection with|tied to|linked to|related to|about)\b/;
const SAME_DAY = /\bsame (day|date|time)\b/;
const LISTING =
  /\b(which|list|all|every)\b.*\b(compan|firm|people|person|individual|entit|hacker|sanctioned|designated)|\bwho (else )?(is|are|was|were|got|has been) (sanctioned|designated)\b/;
/** "did the EU sanction X?", "X was designated by the State Department": the body the asker names. */
const CLAIMED_BODY =
  /\b(?:did|has|have)\s+(?:the\s+)?(?!who\b|which\b|what\b|they\b|it\b)([a-z][a-z.' -]{1,40}?)\s+(?:also\s+)?(?:sanction|designate|blacklist)|\bby\s+(?:the\s+)?(?!who\b|which\b|what\b|whom\b)([a-z][a-z.' -]{1,40}?)(?=[,?!.]|\s+(?:right|too|as well|wasn|isn|correct|yes)\b|$)/;
/** "sanctioned under the Global Magnitsky Act?": the authority the asker names. */
const CLAIMED_AUTHORITY =
  /\bunder\s+(?:the\s+)?(?!which\b|what\b|whose\b)([a-z0-9][a-z0-9 .'-]{2,60}?)(?=[,?!.]|\s+(?:right|too|as well|wasn|isn|correct|yes)\b|$)/;
/**
 * Words that make an unknown phrase a designating body ("did the EU sanction X?"), so that
 * "did integrity tech respond to the sanctions" is not read as a claim about who designated.
 */
const BODY_WORD =
  /\b(eu|european|union|un|united nations|uk|britain|british|us|usa|state|states|department|treasury|commerce|government|gov|office|ministry|council|commission|ofac|bis|hmt|ofsi|canada|australia|japan|switzerland|swiss|france|germany|china|russia|nations)\b/;
/** Words in a body the asker names, at most (longer is a clause, not a name). */
const MAX_BODY_WORDS = 5;
/** "is X still sanctioned or was that lifted?": the lifting is asked about, not stated. */
const ASKS_IF_LIFTED =
  /\bor\s+(?:was|were|has|have|had|is|did)\b[^?]*\b(?:lifted|delisted|removed)|^\s*(?:is|are)\b.*\bstill?\b|\bor not\b/;
/** The asker believes the designation was lifted. */
const LIFTED = /\b(delisted|lifted|removed from the (list|sdn)|no longer (sanctioned|listed|designated)|taken off the list|unsanctioned)\b/;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A date the question mentions: month and year, sometimes the day ("jan 3", "march 2025", "17 january 2025"). */
interface MentionedDate {
  year?: number;
  month?: number;
  day?: number;
  text: string;
}

export function composeSanctions(c: Compose, deps: SanctionsDeps): Answer {
  const { view, reading } = c;
  const lower = ` ${reading.text.toLowerCase()} `;
  const date = mentionedDate(reading.text);
  const subjects = reading.subjects.map((id) => view.entity(id)!).filter(Boolean);

  // Pasted press releases: what they designated.
  const fromLinks = reading.links.flatMap((url) => designationsCiting(view, url));
  if (fromLinks.length > 0 && reading.found.mentions.length === 0) return listDesignations(c, fromLinks, 'The press release designated');

  // Bodies that designate (OFAC, the Treasury, the UK) are who sanctioned, not whom: beside
  // another name, or alone in "what did Treasury sanction on 17 January 2025?".
  // "is Zorblax Systems OFAC-listed?": beside a name it does not know, too.
  const besideUnknown = reading.unknownName?.proper === true;
  const bodies = subjects.filter(
    (e) => isBody(view, e) && (subjects.length > 1 || besideUnknown || date !== undefined || /\bwhat did\b/.test(lower)),
  );
  let targets = subjects.filter((e) => !bodies.includes(e)).map((e) => designationTarget(view, e));
  if (targets.length === 0 && bodies.length > 0 && date) {
    const onDate = bodies.flatMap((b) => designationsBy(view, b, date));
    if (onDate.length > 0) return listDesignations(c, onDate, `In ${date.text} ${bodies[0]!.name} designated`);
  }
  // "which Chinese companies are sanctioned?": the designations on record, of that kind.
  if (targets.length === 0 && LISTING.test(lower)) {
    const kind = /\b(compan|firm|business|organi)/.test(lower)
      ? 'organization'
      : /\b(people|person|individual|hacker)/.test(lower)
        ? 'person'
        : undefined;
    const all = view.designationsDated('').filter((s) => !kind || view.entity(s.targetId)?.type === kind);
    if (all.length > 0) return listDesignations(c, all, 'The designations on record are of');
  }
  if (targets.length === 0) return noTarget(c, deps);

  // "who was sanctioned over Salt Typhoon?": designations concerning it, not of it.
  const main = targets[0]!;
  if (ASKS_WHO.test(lower) && view.sanctionsOf(main.id).length === 0) {
    const concerning = concerningOrLinked(view, main);
    if (concerning.length > 0) return listDesignations(c, concerning, `Designated over ${main.name}:`);
  }

  // "was X sanctioned for Y?": Y is the premise, not a second target.
  let premises: EntityRecord[] = [];
  if (!reading.cues.both && targets.length > 1 && (PREMISE_LINK.test(lower) || reading.cues.tag)) {
    premises = targets.slice(1).filter((e) => view.sanctionsOf(e.id).length === 0 || view.sanctionsConcerning(e.id).length > 0);
    targets = targets.filter((e) => !premises.includes(e));
  }

  if (targets.length > 1 && SAME_DAY.test(lower)) return sameDay(c, targets);
  if (reading.cues.both || targets.length > 1) return several(c, targets);
  return one(c, deps, targets[0]!, { bodies, premises, date, lower });
}

interface Premises {
  bodies: EntityRecord[];
  premises: EntityRecord[];
  date: MentionedDate | undefined;
  lower: string;
}

/** One name: yes (with the effects, reason or reference asked for), a correction, or no record. */
function one(c: Compose, deps: SanctionsDeps, target: EntityRecord, p: Premises): Answer {
  const { view } = c;
  const designations = view.sanctionsOf(target.id);
  const curated = designations.filter((s) => !s.list);
  const listed = designations.filter((s) => s.list);
  if (designations.length === 0) return notDesignated(c, deps, target);
  // A list entry found by part of its name, or a close spelling, is a screening question: the
  // whole name typed is compared, as a compliance search would (the surname alone is a review).
  const mention = c.reading.found.mentions.find((m) => m.entityIds.includes(target.id));
  if (curated.length === 0 && mention) {
    const screened = screenName(c, deps, nameAsked(c, target, mention.typed));
    if (screened) return screened;
  }

  const s = curated[0] ?? listed[0]!;
  const wrong = wrongPremise(view, s, p);
  const support: Said[] = [];
  let headline: Said;
  if (wrong) {
    headline = { text: `No — ${designationSentence(view, s, target)}${together(view, s)}${wrong.because}`, sources: s.sources };
    if (wrong.instead) support.push(wrong.instead);
  } else {
    headline = {
      text: `${s.status === 'active' ? 'Yes' : 'Formerly'} — ${designationSentence(view, s, target)}${authorityClause(s)}`,
      sources: s.sources,
    };
    if (headline.text.length > HEADLINE_MAX)
      headline = { text: `${s.status === 'active' ? 'Yes' : 'Formerly'} — ${designationSentence(view, s, target)}`, sources: s.sources };
  }
  support.push(...delisting(s));
  const asks = (re: RegExp) => re.test(p.lower);
  if (!s.list) {
    if (asks(DEALING) || asks(EFFECTS)) for (const e of s.effects) support.push({ text: e, sources: s.sources });
    if (asks(WHY) || support.length === 0) support.push({ text: s.reason, sources: s.sources });
    if (!headline.text.includes(s.authority ?? '\u0000') && s.authority)
      support.push({ text: `Legal authority: ${s.authority}.`, sources: s.sources });
    if (asks(REFERENCE) || support.length < 2)
      support.push({
        text: `Reference: ${s.referenceTitle}${s.referenceUrl ? ` (${s.referenceUrl})` : ''}.`,
        sources: s.sources,
        trusted: true,
      });
  }
  for (const l of listed.filter((x) => x !== s)) support.push(listedLine(l, target));
  const asOf = latestSourceDate(view, s);
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: target.name,
    headline,
    support,
    notes: [
      s.list
        ? `Name match on the list edition of ${formatDate(s.list.edition)}: confirm with identifying details on the list (date of birth, nationality, identifiers) before acting.`
        : `Status as recorded in the curated sources${asOf ? `, the newest of ${formatDate(asOf)}` : ''}.`,
    ],
    entities: [ref(target), ...refs(view, [s.designatedBy])],
    screening: {
      outcome: wrong ? 'no-record' : 'listed',
      listedName: s.list?.listedName ?? target.name,
      list: s.list?.name ?? 'curated designations',
      edition: s.list?.edition ?? s.date,
      ...(s.list?.entry ? { entry: s.list.entry } : {}),
      type: target.type,
      ...(s.list && mention ? { score: mention.score } : {}),
      basis: wrong
        ? `the designation on record differs${wrong.because}`
        : s.list
          ? 'the name as listed'
          : `designated by ${bodyName(view, s.designatedBy)} on ${s.date}`,
      threshold: BANDS.listed,
      checked: listsChecked(view),
    },
  };
}

/** What a question stated about a designation that the record contradicts, and the correction. */
function wrongPremise(view: KnowledgeView, s: SanctionRecord, p: Premises): { because: string; instead?: Said } | undefined {
  if (s.list) return undefined;
  const by = view.entity(s.designatedBy);
  for (const body of p.bodies) {
    if (!bodyMatches(view, s.designatedBy, body.id)) return { because: `; I have no record of a designation by ${body.name}.` };
  }
  if (p.date && !dateMatches(p.date, s.date)) return { because: `, not ${p.date.text}.` };
  const named = CLAIMED_BODY.exec(p.lower);
  const body = (named?.[1] ?? named?.[2])?.trim();
  if (body && !p.bodies.length && looksLikeBody(body) && !namesBody(view, s.designatedBy, body))
    return {
      because: `; I have no record of a designation by ${body.toUpperCase() === body || body.length <= 3 ? body.toUpperCase() : body}.`,
    };
  const authority = CLAIMED_AUTHORITY.exec(p.lower)?.[1]?.trim();
  if (authority && s.authority && !sameAuthority(authority, `${s.authority} ${s.program ?? ''}`)) {
    return { because: ` under ${s.authority}; I have no record of a designation under ${authority}.` };
  }
  // "since X got delisted, …": the asker believes it was lifted; "is X still sanctioned or was that lifted?" asks.
  if (LIFTED.test(p.lower) && !ASKS_IF_LIFTED.test(p.lower) && s.status === 'active')
    return { because: `, and the curated record shows no delisting: the designation is still in force.` };
  for (const premise of p.premises) {
    if ((s.concerning ?? []).includes(premise.id)) continue;
    const tied = view.sanctionsConcerning(premise.id).filter((x) => x.id !== s.id);
    const about = (s.concerning ?? []).map((id) => view.entity(id)?.name).filter(Boolean);
    const because = about.length
      ? ` in connection with ${about.join(' and ')}, not ${premise.name}.`
      : `; I have no record that it concerned ${premise.name}.`;
    const instead = tied.length
      ? {
          text: `The designation tied to ${premise.name} was of ${tied.map((x) => view.entity(x.targetId)?.name ?? x.targetId).join(' and ')}, by ${by?.name ?? s.designatedBy} on ${formatDate(tied[0]!.date)}.`,
          sources: tied.flatMap((x) => x.sources),
        }
      : undefined;
    return instead ? { because, instead } : { because };
  }
  return undefined;
}

/** "X was designated by the Office of Foreign Assets Control (OFAC) on 3 January 2025". */
function designationSentence(view: KnowledgeView, s: SanctionRecord, target: EntityRecord): string {
  // A list entry is named by the list ("listed as “HASSAN, Jamil” …"); a curated entity also by its own name.
  if (s.list) return target.name === s.list.listedName ? listPlacement(s) : `${target.name} is ${listPlacement(s)}`;
  return `${target.name} was designated by ${bodyName(view, s.designatedBy)} on ${formatDate(s.date)}`;
}

/** For a list entry a newer edition left out: when, in one line (never deleted, so this can be said). */
function delisting(s: SanctionRecord): Said[] {
  if (s.status !== 'delisted' || !s.delistedOn || !s.list) return [];
  return [
    {
      text: `Delisted: the ${formatDate(s.delistedOn)} edition of the ${s.list.name} no longer names ${s.list.listedName.replace(/\.$/, '')}.`,
      sources: s.sources,
    },
  ];
}

/** "listed as “X” on the OFAC … (SDN), March 2023 edition, under program CYBER2 (entry 21324)". */
function listPlacement(s: SanctionRecord): string {
  const l = s.list!;
  return `listed as “${l.listedName}” on the ${l.name}, ${formatDate(l.edition)} edition${programs(s)}${l.entry ? ` (entry ${l.entry})` : ''}`;
}

function authorityClause(s: SanctionRecord): string {
  return s.authority && !s.list ? ` under ${s.authority}.` : '.';
}

function programs(s: SanctionRecord): string {
  const p = s.list?.programs ?? [];
  return p.length ? ` under ${p.length > 1 ? 'programs' : 'program'} ${p.join(', ')}` : '';
}

/** ", together with Shanghai Heiying …" for designations announced the same day by the same body. */
function together(view: KnowledgeView, s: SanctionRecord): string {
  const others = view
    .designatedTogether(s.designatedBy, s.date)
    .filter((x) => x.targetId !== s.targetId)
    .map((x) => view.entity(x.targetId)?.name)
    .filter(Boolean);
  return others.length ? `, together with ${others.join(' and ')}` : '';
}

function listedLine(s: SanctionRecord, target: EntityRecord): Said {
  return { text: `${target.name} is also ${listPlacement(s)}.`, sources: s.sources };
}

/** No designation of X on record: what is on record around it, and what was checked. */
function notDesignated(c: Compose, deps: SanctionsDeps, target: EntityRecord): Answer {
  const { view } = c;
  const support: Said[] = [];
  for (const s of concerningOrLinked(view, target)) {
    support.push({
      text: `${view.entity(s.targetId)?.name} was designated by ${bodyName(view, s.designatedBy)} on ${formatDate(s.date)} over ${target.name}.`,
      sources: s.sources,
    });
  }
  if (view.loadedLists().length > 0) {
    const screened = screenName(c, deps, target.name, target);
    if (screened) return screened;
  }
  const lists = completeLists(view);
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: target.name,
    headline: {
      text: `I have no record of a designation of ${target.name}${lists.length ? ` in the sanctions data loaded: ${listsChecked(view)}` : ` in the curated designations${extractsChecked(view)}`}.`,
      sources: [],
    },
    support,
    notes: [noListNote(view, target.name)],
    entities: [
      ref(target),
      ...refs(
        view,
        concerningOrLinked(view, target).map((s) => s.targetId),
      ),
    ],
    screening: noRecord(view, lists.length > 0),
  };
}

/** The verdict when nothing is on record: what was checked, or that no list is loaded. */
function noRecord(view: KnowledgeView, anyList: boolean): Screening {
  return {
    outcome: anyList ? 'no-record' : 'no-list',
    basis: anyList
      ? 'no listed name comes close'
      : view.loadedLists().length
        ? 'no complete sanctions list is loaded (only an extract): a name missing from it may still be listed'
        : 'no sanctions list is loaded: only the curated designations were checked',
    threshold: BANDS.listed,
    checked: listsChecked(view),
  };
}

/** A name that is no entity of ours: screened against the lists, or "no list is loaded". */
function noTarget(c: Compose, deps: SanctionsDeps): Answer {
  const typed = c.reading.unknownName?.typed ?? c.reading.near?.typed ?? '';
  if (typed && c.view.loadedLists().length > 0) {
    const screened = screenName(c, deps, typed);
    if (screened) return screened;
  }
  const shown = typed ? quoteUser(typed) : 'that name';
  const lists = completeLists(c.view);
  return {
    intent: 'unknown',
    aspect: 'sanctions',
    title: 'No record',
    headline: {
      text: lists.length
        ? `I have no record of ${shown} in the sanctions data loaded: ${listsChecked(c.view)}.`
        : `I have no record of ${shown} in the curated designations${extractsChecked(c.view)}, and no ${whatIsMissing(c.view)} is loaded, so I can't say whether it is listed.`,
      sources: [],
    },
    support: [],
    notes: [
      lists.length
        ? 'No record here does not rule out a designation elsewhere: check the official OFAC sanctions list search.'
        : noListNote(c.view, shown),
    ],
    entities: [],
    screening: noRecord(c.view, lists.length > 0),
  };
}

/**
 * The whole name a sanctions question asks about: the words found as a name and the words next
 * to them that belong to it ("MC" in "is MC Overseas Trading Company sanctioned?").
 */
function nameAsked(c: Compose, target: EntityRecord, found: string): string {
  const r = c.resolver.resolve(c.reading.text, { screening: true });
  const m = r.kind === 'match' || r.kind === 'suggest' ? r.match : undefined;
  if (!m || m.entityId !== target.id || !m.extraWords?.length) return found;
  // The extra words in the order typed: "MC" before the name, "Ltd Agency" after it.
  const question = normalizeText(c.reading.text).split(' ');
  const at = question.indexOf(normalizeText(found).split(' ')[0] ?? '');
  const before = m.extraWords.filter((w) => at >= 0 && question.indexOf(w) < at);
  const after = m.extraWords.filter((w) => !before.includes(w));
  return [...before, found, ...after].join(' ');
}

/** A name screened against the lists, when something on them comes close (undefined for no record). */
export function screenTyped(c: Compose, deps: SanctionsDeps, typed: string): Answer | undefined {
  if (c.view.loadedLists().length === 0) return undefined;
  const a = screenName(c, deps, typed);
  return a?.screening?.outcome === 'no-record' ? undefined : a;
}

/** Screening a name against the imported lists (whole name, as OFAC's search compares). */
function screenName(c: Compose, deps: SanctionsDeps, typed: string, known?: EntityRecord): Answer | undefined {
  const { view } = c;
  const name = splitDob(typed).name;
  const dob = splitDob(c.reading.text).dob;
  const r = deps.screener().screen(name);
  const checked = listsChecked(view);
  const best = r.best;
  const entity = best ? view.entity(best.entityId) : undefined;
  const s = entity ? view.sanctionsOf(entity.id).find((x) => x.list) : undefined;
  const reading = readingLine(r);
  if (!best || !entity || !s || r.outcome === 'no-record') {
    if (known) return undefined;
    // An extract's silence says nothing about the rest of the list.
    const complete = completeLists(view).length > 0;
    return {
      intent: 'unknown',
      aspect: 'sanctions',
      title: 'No record',
      headline: {
        text: complete
          ? `I have no record of ${quoteUser(name)} in the sanctions data loaded: ${checked}.`
          : `I have no record of ${quoteUser(name)} in the curated designations${extractsChecked(view)}, and no complete sanctions list is loaded, so I can't say whether it is listed.`,
        sources: [],
      },
      support: [
        ...(reading ? [{ text: reading, sources: [] }] : []),
        // A listed name set aside as another party's is said, so that a reader can judge it.
        ...(r.outcome === 'no-record' && r.best === undefined && r.basis !== NOTHING_CLOSE
          ? [{ text: `Checked: ${r.basis}.`, sources: [] }]
          : []),
      ],
      notes: [noListNote(view, quoteUser(name))],
      entities: [],
      screening: {
        ...noRecord(view, complete),
        ...(r.outcome === 'no-record' ? { basis: r.basis } : {}),
        ...(r.romanized.transliterated ? { transliterated: r.romanized.text } : {}),
      },
    };
  }
  const dates = dob ? dobCheck(entity, dob) : undefined;
  const named = dates?.differs ? { outcome: 'review' as const, basis: dates.text } : { outcome: r.outcome, basis: r.basis };
  const { outcome, basis } = delistedVerdict(named.outcome, named.basis, s);
  const screening: Screening = {
    outcome,
    listedName: s.list!.listedName,
    list: s.list!.name,
    edition: s.list!.edition,
    ...(s.list!.entry ? { entry: s.list!.entry } : {}),
    type: entity.type,
    ...(best.matchedName !== s.list!.listedName ? { matchedName: best.matchedName } : {}),
    score: best.score,
    basis,
    threshold: BANDS.listed,
    checked,
    ...(r.romanized.transliterated ? { transliterated: r.romanized.text } : {}),
  };
  const matchInfo = { entityId: entity.id, score: best.score, method: best.comparison.exact ? 'exact' : 'screening', explanation: basis };
  const support: Said[] = [
    ...(reading ? [{ text: reading, sources: [] }] : []),
    { text: howMatched(best), sources: [] },
    ...(dates ? [{ text: dates.text, sources: s.sources }] : []),
  ];
  const sections = [
    ...(r.others.length ? [{ heading: 'Also close on the list', lines: r.others.map((o) => otherLine(view, o)) }] : []),
    ...(addresses(view, entity).length ? [{ heading: 'Addresses on the list', lines: addresses(view, entity) }] : []),
    ...(entity.summary ? [{ heading: 'On the list', lines: [{ text: entity.summary, sources: entity.summarySources }] }] : []),
  ];
  const kind = typeLabel(entity.type);
  // The name is the listed one: "Yes", or "Formerly" for an entry a newer edition left out.
  if (named.outcome === 'listed') {
    return {
      intent: 'sanctions',
      aspect: 'sanctions',
      title: entity.name,
      headline: {
        text: `${s.status === 'active' ? 'Yes' : 'Formerly'} — ${designationSentence(view, s, entity)}, ${kind}.`,
        sources: s.sources,
      },
      support: [...delisting(s), ...support],
      sections,
      notes: [
        'This is a name match: confirm it with identifying details on the list (date of birth, nationality, identifiers in the remarks) before acting; add them to the question ("… dob 1962") to narrow it.',
      ],
      entities: [ref(entity)],
      screening,
      match: matchInfo,
    };
  }
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: `Possible match — review: ${entity.name}`,
    headline: {
      text: `Possible match — review: “${quoteUser(name)}” resembles ${entity.name} (${kind}${s.list!.entry ? `, entry ${s.list!.entry}` : ''}): ${basis}.`,
      sources: s.sources,
    },
    support: [{ text: `${entity.name} is ${listPlacement(s)}.`, sources: s.sources }, ...support],
    sections,
    notes: [
      'This is not a confirmed match. Compare the identifying details (names, dates of birth, nationality, identifiers) with the person or company you are checking before acting.',
    ],
    entities: [ref(entity)],
    screening,
    match: matchInfo,
  };
}

const TYPE_LABELS: Record<string, string> = {
  person: 'an individual',
  organization: 'an entity',
  vessel: 'a vessel',
  aircraft: 'an aircraft',
};

function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? `a ${type}`;
}

/** "Read as “Vladimir Putin” (Cyrillic, transliterated)." and the CJK caveat. */
function readingLine(r: ScreeningResult): string | undefined {
  if (!r.romanized.transliterated) return undefined;
  const hanOrKana = r.romanized.scripts.some((s) => s === 'Han' || s === 'Hiragana' || s === 'Katakana');
  const cjk = hanOrKana
    ? ' Chinese, Japanese and Korean characters are read best effort (Han characters as Mandarin pinyin), so a Korean or Japanese name written in them may not match its spelling on the list: type the Latin spelling to be sure.'
    : r.romanized.cjk
      ? ' Korean letters are read best effort, in the spelling the lists use for Korean names (“Kim Jong Un”); a name spelled otherwise on the list (Lee, Yi or Ri) may not match: type the Latin spelling to be sure.'
      : '';
  return `“${quoteUser(r.typed)}” was read as “${r.romanized.text}” (${r.romanized.scripts.join(', ')} transliterated to Latin letters) before matching.${cjk}`;
}

/** Another entry as close as the best: its name and its type, so that a name shared by a company and a vessel is told apart. */
function otherLine(view: KnowledgeView, o: Hit): Said {
  const s = view.sanctionsOf(o.entityId).find((x) => x.list);
  const via = o.alias ? ` (through the alias “${o.matchedName}”)` : '';
  return {
    text: `${o.listedName} (${o.type === 'organization' ? 'entity' : o.type === 'person' ? 'individual' : o.type})${via}${s?.list?.entry ? `, entry ${s.list.entry}` : ''}${o.comparison.exact ? ', the same name' : ''}.`,
    sources: s?.sources ?? [],
  };
}

/** The entry's addresses from the list (ADD.CSV). */
function addresses(view: KnowledgeView, e: EntityRecord): Said[] {
  return view
    .claims(e.id)
    .filter((cl) => cl.predicate === 'address')
    .slice(0, 3)
    .map((cl) => ({ text: cl.text, sources: cl.sources }));
}

/** "is X sanctioned? dob 1962": the name and the date of birth (a year, or a day month year) asked about. */
export function splitDob(typed: string): { name: string; dob?: string } {
  const m = /\s*[,;]?\s*\b(?:dob|d\.o\.b\.?|born|date of birth)\b[:\s]*([0-9]{1,2}\s+[a-z]{3,9}\.?\s+)?((?:19|20)\d\d)\b.*$/i.exec(typed);
  if (!m) return { name: typed };
  return { name: typed.slice(0, m.index).trim(), dob: `${m[1] ?? ''}${m[2]}`.trim() };
}

/** The list's dates of birth for an entry against the one asked about (by year). */
function dobCheck(e: EntityRecord, dob: string): { differs: boolean; text: string } | undefined {
  const listed = [...(e.summary ?? '').matchAll(/\bDOB ([^;.]*\d{4})/g)].map((m) => m[1]!.trim());
  const year = /\d{4}/.exec(dob)![0];
  if (listed.length === 0) return { differs: false, text: `The list gives no date of birth for ${e.name}, so ${dob} cannot narrow it.` };
  const agrees = listed.some((d) => d.includes(year));
  return agrees
    ? { differs: false, text: `The date of birth asked about (${dob}) agrees with the list's (${listed.join(', ')}).` }
    : { differs: true, text: `the date of birth asked about (${dob}) differs from the list's (${listed.join(', ')})` };
}

/** Why a name matched, in words (no scores): the words paired, and what the list has that the question lacks. */
function howMatched(h: Hit): string {
  const pairs = h.comparison.words.map((w) =>
    w.how === 'same' ? `“${w.query}” = “${w.listed}”` : `“${w.query}” ≈ “${w.listed}” (${HOW[w.how]})`,
  );
  const missing = h.comparison.missing.length ? `; not in the question: ${h.comparison.missing.map((w) => `“${w}”`).join(', ')}` : '';
  const weak = h.weak ? ` “${h.matchedName}” is a weak alias: OFAC does not expect screening on weak aliases alone.` : '';
  const alias = h.alias ? ` through the alias “${h.matchedName}”${h.usedBy ? ` (${h.usedBy})` : ''}` : '';
  return `Matched${alias}${pairs.length ? `: ${pairs.join(', ')}${missing}` : ' by name'}.${weak}`;
}

const HOW: Record<string, string> = {
  spelling: 'another romanisation',
  typo: 'a letter or two different',
  initial: 'an initial',
  consonants: 'the same consonants',
  joined: 'run together',
};

/** "are A and B both sanctioned?": one line each. */
function several(c: Compose, targets: readonly EntityRecord[]): Answer {
  const { view } = c;
  const lines: Said[] = [];
  const entities: EntityRef[] = [];
  let all = true;
  for (const t of targets) {
    const s = view.sanctionsOf(t.id)[0];
    entities.push(ref(t));
    if (s) lines.push({ text: `${designationSentence(view, s, t)}.`, sources: s.sources });
    else {
      all = false;
      lines.push({ text: `I have no record of a designation of ${t.name}.`, sources: [] });
    }
  }
  const lead = all
    ? `Yes — ${targets.length === 2 ? 'both are' : 'all are'} designated.`
    : `Not all of them: ${lines.filter((l) => l.sources.length).length} of ${targets.length} are designated in the data I have.`;
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: targets.map((t) => t.name).join(' and '),
    headline: { text: lead, sources: [] },
    support: lines,
    notes: all ? [] : [noListNote(view, 'the others')],
    entities,
    screening: all
      ? { outcome: 'listed', basis: 'every name asked about is designated', threshold: BANDS.listed, checked: listsChecked(view) }
      : noRecord(view, completeLists(view).length > 0),
  };
}

/** "were A and B sanctioned on the same day?" */
function sameDay(c: Compose, targets: readonly EntityRecord[]): Answer {
  const { view } = c;
  const rows = targets.map((t) => ({ t, s: view.sanctionsOf(t.id).find((x) => !x.list) }));
  const dates = new Set(rows.map((r) => r.s?.date ?? '?'));
  const lines = rows.map((r) =>
    r.s
      ? { text: `${r.t.name}: designated on ${formatDate(r.s.date)}.`, sources: r.s.sources }
      : { text: `${r.t.name}: no designation on record.`, sources: [] },
  );
  const same = dates.size === 1 && !dates.has('?');
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: targets.map((t) => t.name).join(' and '),
    headline: {
      text: same ? `Yes — both were designated on ${formatDate(rows[0]!.s!.date)}.` : 'No — they were designated on different days.',
      sources: [],
    },
    support: lines,
    entities: targets.map(ref),
  };
}

/** A list of designations ("The press release designated: A, B"). */
function listDesignations(c: Compose, designations: readonly SanctionRecord[], lead: string): Answer {
  const { view } = c;
  const unique = [...new Map(designations.map((s) => [s.id, s])).values()];
  const lines = unique.map((s) => ({
    text: `${view.entity(s.targetId)?.name ?? s.targetId}, designated by ${bodyName(view, s.designatedBy)} on ${formatDate(s.date)}.`,
    sources: s.sources,
  }));
  const names = unique.map((s) => view.entity(s.targetId)?.name ?? s.targetId);
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: 'Designations',
    headline: {
      text: `${lead.replace(/:$/, '')} ${names.join(' and ')}${lead.endsWith(':') ? '' : ''}.`.replace(/ +/g, ' '),
      sources: unique.flatMap((s) => s.sources),
    },
    support: lines,
    entities: refs(
      view,
      unique.map((s) => s.targetId),
    ),
  };
}

/** Designations concerning an entity, or else designations of the entities linked to it. */
function concerningOrLinked(view: KnowledgeView, e: EntityRecord): SanctionRecord[] {
  const concerning = view.sanctionsConcerning(e.id);
  if (concerning.length > 0) return concerning;
  const linked = new Set<string>();
  for (const cl of view.claims(e.id)) if (cl.objectId) linked.add(cl.objectId);
  for (const cl of view.claimsAbout(e.id)) linked.add(cl.entityId);
  return [...linked].flatMap((id) => view.sanctionsOf(id).filter((s) => !s.list));
}

/** An event of a designation ("the Integrity Tech designation") stands for its target. */
function designationTarget(view: KnowledgeView, e: EntityRecord): EntityRecord {
  if (e.type !== 'event' || view.sanctionsOf(e.id).length > 0) return e;
  const targets = view
    .claims(e.id)
    .map((cl) => cl.objectId)
    .filter((id): id is string => Boolean(id))
    .filter((id) => view.sanctionsOf(id).length > 0);
  return targets.length === 1 ? view.entity(targets[0]!)! : e;
}

/** A government body or country named beside another name is the designator asked about. */
function isBody(view: KnowledgeView, e: EntityRecord): boolean {
  return (e.type === 'government-body' || e.type === 'country') && view.sanctionsOf(e.id).length === 0;
}

/** Whether a body the asker named in words ("ofac", "treasury", "the us") is the designating body or one it is part of. */
function looksLikeBody(words: string): boolean {
  return words.split(/\s+/).length <= MAX_BODY_WORDS && BODY_WORD.test(words);
}

function namesBody(view: KnowledgeView, designatedBy: string, words: string): boolean {
  const bodies = [
    designatedBy,
    ...view
      .claims(designatedBy)
      .filter((cl) => cl.predicate === 'part-of' && cl.objectId)
      .map((cl) => cl.objectId!),
  ];
  const key = normalizeName(words);
  if (['us', 'united states', 'usa', 'america', 'us government', 'us gov', 'the us', 'washington'].includes(key)) return true;
  return bodies.some((id) =>
    [view.entity(id)?.name ?? '', ...view.aliases(id).map((a) => a.name)].some(
      (n) => normalizeName(n) === key || normalizeName(n).includes(key),
    ),
  );
}

/** Whether the authority the asker names is the one on record ("e.o. 13694" in "E.O. 13694, as amended…"). */
function sameAuthority(named: string, recorded: string): boolean {
  const words = normalizeText(named)
    .split(' ')
    .filter((w) => w.length > 2 || /\d/.test(w));
  const text = normalizeText(recorded);
  return words.length > 0 && words.every((w) => text.includes(w));
}

/** Whether `body` made the designation: it, or a part of it (OFAC is part of the Treasury). */
function bodyMatches(view: KnowledgeView, designatedBy: string, body: string): boolean {
  if (designatedBy === body) return true;
  return view.claims(designatedBy).some((cl) => cl.predicate === 'part-of' && cl.objectId === body);
}

function designationsBy(view: KnowledgeView, body: EntityRecord, date: MentionedDate): SanctionRecord[] {
  const prefix = [date.year, date.month, date.day].reduce<string>((acc, part, k) => {
    if (part === undefined || (k > 0 && acc.length < 4 + (k - 1) * 3)) return acc;
    return k === 0 ? String(part) : `${acc}-${String(part).padStart(2, '0')}`;
  }, '');
  const dated =
    prefix.length >= 4
      ? view.designationsDated(prefix)
      : view.designationsDated('').filter((s) => Number(s.date.slice(5, 7)) === date.month);
  return dated.filter((s) => bodyMatches(view, s.designatedBy, body.id));
}

function bodyName(view: KnowledgeView, id: string): string {
  const e = view.entity(id);
  if (!e) return id;
  const abbr = view.aliases(id).find((a) => a.kind === 'abbreviation');
  const article = e.type === 'government-body' && /^(office|department|us |u\.s\. |bureau|ministry|national)/i.test(e.name) ? 'the ' : '';
  return article + (abbr ? `${e.name} (${abbr.name})` : e.name);
}

/** "the OFAC … list (March 2023 edition, 33 entries) and 5 designations from the curated knowledge". */
/** A question about the sanctions lists themselves: "is the SDN list loaded?", "can you screen against OFAC's list?". */
const ABOUT_THE_LIST = /\b(sdn|ofac|sanctions?|consolidated)\b[\w\s'’-]{0,20}\blists?\b/i;
const LIST_STATUS_WORDS =
  /\b(loaded|load|have|got|up to date|current|latest|edition|version|which|what lists?|screen|check against|against|how old|fresh|updated|using|use)\b/i;

export function asksAboutTheLists(text: string): boolean {
  return ABOUT_THE_LIST.test(text) && LIST_STATUS_WORDS.test(text);
}

/**
 * What the sanctions answers rest on: the lists loaded with their editions, and the curated
 * designations; with none loaded, says it can speak only for the curated ones. Only when the
 * question asks about the lists and names nothing but the bodies that keep them.
 */
export function composeListStatus(c: Compose): Answer | undefined {
  const { view, reading } = c;
  if (!asksAboutTheLists(reading.text)) return undefined;
  if (reading.unknownName?.proper) return undefined;
  if (reading.subjects.some((id) => view.entity(id)?.type !== 'government-body')) return undefined;
  const lists = completeLists(view);
  const headline: Said = lists.length
    ? { text: `Sanctions answers here check ${listsChecked(view)}.`, sources: [] }
    : {
        text: `No ${whatIsMissing(view)} is loaded: I can speak only for ${curatedCount(view.curatedDesignations())}${extractsChecked(view)}. An operator can load the OFAC lists with “threatbrief feeds sync”.`,
        sources: [],
      };
  return {
    intent: 'sanctions',
    aspect: 'sanctions',
    title: 'Sanctions lists',
    headline,
    support: [
      { text: 'Ask “is <name> sanctioned?” to screen one name; “threatbrief screen names.csv” screens a file of names.', sources: [] },
    ],
    entities: [],
  };
}

export function listsChecked(view: KnowledgeView): string {
  const parts = view
    .loadedLists()
    .map(
      (l) =>
        `the ${l.name} (${formatDate(l.edition)} edition, ${l.entries.toLocaleString('en-US')} entries${isExtract(l) ? ', an extract' : ''})`,
    );
  const curated = view.curatedDesignations();
  parts.push(`${curated} designation${curated === 1 ? '' : 's'} from the curated knowledge`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : parts[0]!;
}

function noListNote(view: KnowledgeView, name: string): string {
  return completeLists(view).length > 0
    ? 'No record here does not rule out a designation elsewhere: check the official OFAC sanctions list search.'
    : `No ${whatIsMissing(view)} is loaded, so I can't say whether ${name} is listed: I can speak only for ${curatedCount(view.curatedDesignations())}${extractsChecked(view)}. An operator can load one with "threatbrief feeds sync".`;
}

/**
 * Fewer entries than this and a list file is a sample or an extract (the shipped test samples
 * have 13 and 33), not a list: OFAC's smallest, the consolidated non-SDN list, has several
 * hundred entries and the SDN list thousands. An extract's entries still answer "listed"; its
 * silence is no "no record".
 */
const COMPLETE_LIST_MIN_ENTRIES = 100;

function isExtract(list: { entries: number }): boolean {
  return list.entries < COMPLETE_LIST_MIN_ENTRIES;
}

/** The loaded lists whose silence can be reported as "no record". */
function completeLists(view: KnowledgeView) {
  return view.loadedLists().filter((l) => !isExtract(l));
}

/** "sanctions list", or "complete sanctions list" when only extracts are loaded. */
function whatIsMissing(view: KnowledgeView): string {
  return view.loadedLists().length ? 'complete sanctions list' : 'sanctions list';
}

/** " or the 33 entries of the SDN list extract loaded", when only extracts are loaded. */
function extractsChecked(view: KnowledgeView): string {
  const extracts = view.loadedLists().filter(isExtract);
  return extracts.length
    ? ` or ${extracts.map((l) => `the ${l.entries.toLocaleString('en-US')} entries of the ${l.name} extract loaded (${formatDate(l.edition)} edition)`).join(' or ')}`
    : '';
}

/** "the 1 curated designation", "the 5 curated designations". */
function curatedCount(n: number): string {
  return `the ${n} curated designation${n === 1 ? '' : 's'}`;
}

function latestSourceDate(view: KnowledgeView, s: SanctionRecord): string | undefined {
  return s.sources
    .map((id) => view.source(id)?.date)
    .filter((d): d is string => Boolean(d))
    .sort()
    .at(-1);
}

/** Sanctions and advisories that cite a pasted link (a press release). */
function designationsCiting(view: KnowledgeView, url: string): SanctionRecord[] {
  const key = urlKey(url);
  const sources = view.sourcesWithUrl(key);
  return sources.flatMap((id) => view.sanctionsCiting(id));
}

/** A date the question names, if any. */
export function mentionedDate(text: string): MentionedDate | undefined {
  const t = text.toLowerCase();
  const month = MONTHS.findIndex((m) => new RegExp(`\\b${m.slice(0, 3)}(${m.slice(3)})?\\b\\.?`).test(t));
  if (month < 0) return undefined;
  const name = MONTHS[month]!;
  const near = new RegExp(
    `(?:\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${name.slice(0, 3)}\\w*|${name.slice(0, 3)}\\w*\\.?\\s+(\\d{1,2})\\b(?!\\d))`,
  ).exec(t);
  const year = /\b(20\d\d)\b/.exec(t)?.[1];
  const day = near ? Number(near[1] ?? near[2]) : undefined;
  const out: MentionedDate = { month: month + 1, text: '' };
  if (year) out.year = Number(year);
  if (day && day <= 31) out.day = day;
  const label = name[0]!.toUpperCase() + name.slice(1);
  out.text = out.day ? `${out.day} ${label}${out.year ? ` ${out.year}` : ''}` : `${label}${out.year ? ` ${out.year}` : ''}`;
  return out;
}

function dateMatches(d: MentionedDate, iso: string): boolean {
  const [y, m, day] = iso.split('-').map(Number);
  if (d.year && d.year !== y) return false;
  if (d.month && d.month !== m) return false;
  if (d.day && day && d.day !== day) return false;
  return true;
}
