import type { KnowledgeView } from '../access/knowledge-view.js';
import { urlKey } from '../base/format.js';
import { normalizeText, stripChatMarkup } from '../base/normalize.js';
import { aspectClassifier } from './aspect-model.js';
import type { Aspect } from './aspect-phrasings.js';
import { type Classification, NAME_PLACEHOLDER } from './classifier.js';
import type { ConversationContext } from './context.js';
import { maskedWords, withoutChatter } from './masking.js';
import { type FoundNames, findNames, type Mention, type NearName, type UnknownName } from './mentions.js';
import { entitiesOfKind, type Kind, kindOf, linkedEntities, PRONOUNS } from './references.js';
import type { Resolver } from './resolve.js';
import { type Token, tokenize } from './tokens.js';
import { isQuestionWord } from './vocabulary.js';

/** What the bot read in a question: the names, what is asked about them, and how it got there. */
export interface Reading {
  /** The question without chat markup, control characters, emoji codes or links. */
  text: string;
  tokens: Token[];
  found: FoundNames;
  aspect: Aspect;
  /** The classifier's confidence in the aspect, 0..1 (1 when the conversation supplied it). */
  confidence: number;
  /** The entities the answer is about, main one first. */
  subjects: string[];
  /** When a name or reference fits several entities equally: ask which one. */
  choice?: { typed: string; candidates: string[] };
  /** A name that looks like one but is unknown: the answer says so. */
  unknownName?: UnknownName;
  /** A name close to a known one, but not close enough to be sure. */
  near?: NearName;
  /** Links pasted in the question. */
  links: string[];
  cues: Cues;
  /** Whether the conversation's earlier turns decided the subjects or the aspect. */
  followUp: boolean;
  /** The question points back with "it", "they", "his"… */
  pronoun: boolean;
  /** Several things of one kind the question asks about together ("which BeyondTrust CVEs"). */
  plural?: string[];
  /** Places that say where, not what ("how many devices in the US"): their names are words the facts should hold. */
  places?: string[];
  /** How the reading was reached, step by step, in words (for --explain). */
  steps: string[];
}

export interface Cues {
  /** "are A and B both …?" */
  both: boolean;
  /** "is A the same as B?", "A = B?", "A vs B" */
  sameAs: boolean;
  /** "…, right?", "…, yes?", "wasn't it?": the asker states something and wants it checked. */
  tag: boolean;
}

export interface UnderstandOptions {
  view: KnowledgeView;
  resolver: Resolver;
  context?: ConversationContext | undefined;
}

/** Links, kept aside: a pasted press release is a reference to what it is about. */
const URL = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Slack's emoji codes (":eyes:") and pictographs carry no question. */
const EMOJI = /:[a-z0-9_+-]+:|[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}]/giu;
/** Words that add nothing to what a follow-up asks: "what about X", "and X?", "no, I meant X". */
const FOLLOW_UP_FILLER = new Set(
  'the one ones and no nope i meant mean sorry actually ok okay then so too also please pls thanks thank you either as well instead but on for'.split(
    ' ',
  ),
);
/** How a follow-up that keeps the last question's aspect begins: "what about X?", "and X?", "no, I meant X". */
const CONTINUATION =
  /^(?:(?:ok|okay|so|right|cool|great|thanks|thx|hmm+|alright|got it)[,.!]?\s+)*(and|what about|how about|and what about|no,? i meant|i meant|nope,? i meant)\b/i;
/** Words saying that something happened to an organisation, which then means the event. */
const EVENT_WORDS =
  /\b(hack|hacked|hacking|breach|breached|attack|attacked|intrusion|incident|compromise|compromised|happened|happen|get in|got in|broke in|exploited|thing|theft|stolen|stole)\b/;
/** Stems of the words a sanctions question uses, typed any way ("sanctoned", "ofac-listed", "paying"). */
const SANCTIONS_CUES =
  /sanc|\bs\w{0,2}n\w{0,2}t\w{0,2}on|desig|ofac|\bsdn|list|block|embarg|\bpay|busines|\bdeal|\btrad|transact|\bwire|allow|legal|\bsafe|vendor|supplier|froze|freez|penal|complian|screen|lift/;
/** Prepositions that put a place in a follow-up ("and in Vietnam?"). */
const PLACE_WORDS = new Set(['in', 'from', 'at', 'inside', 'outside', 'across']);
/** Words asking how someone answered something (a designation, an accusation). */
const RESPONSE_WORDS =
  /\b(respond|responds|responded|response|react|reacts|reacted|reaction|repl(y|ied|ies)|comment|commented|den(y|ied|ies))\b/;
/** Words saying that something was taken down, which then means the takedown. */
const TAKEDOWN_WORDS = /\b(taken down|take down|took down|takedown|disrupted|disruption|dismantled|shut down)\b/;
const EVENT_TYPES = new Set(['incident', 'event', 'campaign']);
const EVENT_ASPECTS = new Set<Aspect>(['attribution', 'techniques', 'when', 'profile', 'targets', 'statements']);
/** What a follow-up naming a party to the incident just discussed still asks about the incident (not "who is X?"). */
const FOLLOWS_THE_EVENT = new Set<Aspect>(['attribution', 'techniques', 'when', 'targets']);

/** Reads a question as the conversation at the view's clearance may understand it. */
export function understand(raw: string, { view, resolver, context }: UnderstandOptions): Reading {
  const steps: string[] = [];
  const links = [...raw.matchAll(URL)].map((m) => m[0]);
  const text = stripChatMarkup(raw.replace(URL, ' '))
    .replace(EMOJI, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const tokens = tokenize(text);
  const found = findNames(text, tokens, view.names(), resolver);
  for (const m of found.mentions) steps.push(explainMention(view, m));
  for (const u of found.unknown) steps.push(`“${u.typed}” looks like a name I don't know.`);
  for (const n of found.near) steps.push(`“${n.typed}” is close to ${n.match.entityName} (${n.match.explanation})`);

  // A name that is also a word of questions ("OFAC", "Treasury") reads as that word.
  const properUnknowns = found.unknown.filter((u) => u.proper);
  const names = found.mentions.length + properUnknowns.length;
  const masked = found.mentions.filter((m) => names < 2 || !(m.to - m.from === 1 && isQuestionWord(tokens[m.from]!.norm)));
  const words = withoutChatter(maskedWords(tokens, [...masked, ...properUnknowns]));
  const lower = ` ${normalizeText(text)} `;
  const cues: Cues = {
    both: /\bboth\b/.test(lower) || (found.mentions.length >= 2 && /\b(are|were)\b.*\band\b/.test(lower)),
    sameAs: /\b(same|aka|alias|another name|also called|also known)\b|\bvs\b|\bversus\b/.test(lower) || /=/.test(text),
    tag: /\b(right|yes|correct|true|yeah)\s*\??\s*$|\b(was|is|did|were)n'?t (it|he|they|that|she)\b|\bwasnt\b|\bisnt\b/i.test(text),
  };

  const classified: Classification<Aspect> = aspectClassifier().classify(words);
  let aspect = classified.label;
  let confidence = classified.confidence;
  // A sanctions question says so in some word ("sanctioned", "OFAC", "pay", "do business"); "why
  // did Russia hack the US Treasury" names a sanctions body but asks who did what.
  if (aspect === 'sanctions' && !SANCTIONS_CUES.test(lower) && classified.ranked[1]) {
    aspect = classified.ranked[1].label;
    confidence = classified.ranked[1].p;
    steps.push(`No word of it is about sanctions: read as ${aspect} instead.`);
  }
  // "how did X respond to the sanctions": the response is asked about, not whether X is listed.
  if (aspect === 'sanctions' && RESPONSE_WORDS.test(lower.replace(/\bin response to\b/g, ' '))) {
    aspect = /\bwhen\b/.test(lower) ? 'when' : 'statements';
    steps.push(`It asks about a response to sanctions, not about a listing: ${aspect}.`);
  }
  steps.push(`It asks about ${aspect} (confidence ${confidence.toFixed(2)}).`);

  const reading: Reading = { text, tokens, found, aspect, confidence, subjects: [], links, cues, followUp: false, pronoun: false, steps };
  const covered = coveredTokens(found.mentions);
  // What is left of a follow-up once its opening ("and", "what about", "no, I meant") is set aside.
  const rest = CONTINUATION.test(text) ? withoutChatter(maskedWords(tokenize(text.replace(CONTINUATION, ' ')), [])) : words;
  const aspectless = rest.every(
    (w) =>
      w === NAME_PLACEHOLDER ||
      FOLLOW_UP_FILLER.has(w) ||
      PRONOUNS.has(w) ||
      kindOf(w) !== undefined ||
      found.mentions.some((m) => tokens.slice(m.from, m.to).some((t) => t.norm === w)),
  );

  // A country after "in" or "from" says where ("how many devices in the US?"), unless it is all the question names.
  const where = (m: Mention) =>
    /^(in|from|outside|inside|across)$/.test(
      tokens[m.from - 1]?.norm === 'the' ? (tokens[m.from - 2]?.norm ?? '') : (tokens[m.from - 1]?.norm ?? ''),
    );
  const countingBefore = context?.aspect === 'count' || context?.aspect === 'targets';
  const qualifiers = found.mentions.filter((m) => isPlace(view, m) && (where(m) || (countingBefore && found.mentions.length === 1)));
  if (qualifiers.length > 0 && (qualifiers.length < found.mentions.length || (context?.entities.length ?? 0) > 0)) {
    found.mentions = found.mentions.filter((m) => !qualifiers.includes(m));
    for (const q of qualifiers) steps.push(`“${q.typed}” says where, not what.`);
    reading.places = qualifiers.flatMap((q) => q.entityIds.map((id) => view.entity(id)?.name ?? id));
  }
  // "and germany?" after "how many devices were in the US": the same question, about another
  // place the bot knows only from the facts' words.
  const unknownPlace =
    countingBefore &&
    CONTINUATION.test(text) &&
    found.mentions.length === 0 &&
    found.unknown.length === 1 &&
    rest.every((w) => FOLLOW_UP_FILLER.has(w) || PLACE_WORDS.has(w) || found.unknown[0]!.typed.toLowerCase().split(/\s+/).includes(w));
  if (unknownPlace && context && context.entities.length > 0) {
    for (const id of context.entities.slice(0, 1)) if (view.entity(id)) addSubject(reading, id);
    reading.places = [found.unknown[0]!.typed];
    found.unknown = [];
    aspect = context.aspect!;
    confidence = 1;
    reading.followUp = true;
    steps.push(`It asks the same as before (${aspect}), for “${reading.places[0]}”.`);
  }

  // Subjects from the names found: unambiguous ones in order. An ambiguous one is asked about
  // only when nothing else is named: beside a clear name, a word that fits several names
  // ("remote" in "what remote access software does Flax Typhoon use") is not a name.
  for (const m of found.mentions) if (m.entityIds.length === 1) addSubject(reading, m.entityIds[0]!);
  const ambiguous = found.mentions.find((m) => m.entityIds.length > 1 && (reading.subjects.length === 0 || m.method !== 'partial'));
  if (ambiguous) reading.choice = { typed: ambiguous.typed, candidates: ambiguous.entityIds.slice(0, MAX_CHOICES) };

  // A pasted link (a press release): what it designated, or what its advisory is about.
  if (reading.subjects.length === 0) for (const id of subjectsOfLinks(view, links)) addSubject(reading, id);

  // A kind of thing named by a noun: "the botnet", "Flax Typhoon's botnet", "his company" —
  // a noun after a determiner, a possessive or a name, and not part of an unknown name
  // ("the Blorptech botnet" is a botnet the bot does not know).
  const kindAt = tokens.findIndex((t, i) => !covered.has(i) && kindOf(t.norm) !== undefined && introduced(tokens, i, covered));
  const kindNoun = kindAt >= 0 ? tokens[kindAt] : undefined;
  const namedUnknown = kindNoun && found.unknown.some((u) => u.proper && u.to === kindAt);
  const hasPronoun = tokens.some((t, i) => !covered.has(i) && PRONOUNS.has(t.norm));
  reading.pronoun = hasPronoun;
  if (kindNoun && !namedUnknown) resolveKind(reading, view, kindOf(kindNoun.norm)!, kindAt, tokens, context);

  // A follow-up: no name of its own (or only a name and filler), read against the last turn.
  if (context) {
    const nameless = reading.subjects.length === 0 && !reading.choice && found.unknown.filter((u) => u.proper).length === 0;
    // A question that needs a subject and names none is about the last one ("how many devices?"),
    // unlike "latest" or "help", which stand alone.
    const needsSubject = !['latest', 'help', 'advisories'].includes(reading.aspect);
    if (nameless && context.entities.length > 0 && (hasPronoun || aspectless || (needsSubject && !kindNoun))) {
      for (const id of context.entities.slice(0, 2)) if (view.entity(id)) addSubject(reading, id);
      reading.followUp = reading.subjects.length > 0;
      if (reading.followUp) steps.push(`It follows up on ${context.entities.map((id) => view.entity(id)?.name ?? id).join(', ')}.`);
    }
    // "how is he connected to Yin Kecheng?" after "who is Zhou Shuai?": "he" is the last subject.
    const last = context.entities[0];
    if (hasPronoun && aspect === 'relation' && reading.subjects.length === 1 && last && last !== reading.subjects[0] && view.entity(last)) {
      reading.subjects = [last, ...reading.subjects];
      reading.followUp = true;
      steps.push(`“${tokens.find((t) => PRONOUNS.has(t.norm))?.raw}” is ${view.entity(last)?.name}, from the last turn.`);
    }
    // "the flax one", "what about Volt Typhoon?": the same question as before, about another name.
    if (aspectless && context.aspect && reading.subjects.length > 0) {
      aspect = context.aspect;
      confidence = 1;
      reading.followUp = true;
      steps.push(`It asks the same as before: ${aspect}.`);
    }
  }
  if (context?.choices && !reading.choice && reading.subjects.length === 1 && !context.choices.includes(reading.subjects[0]!)) {
    const linked = context.choices.filter((id) => linkedEntities(view, reading.subjects[0]!).has(id));
    if (linked.length === 1) {
      steps.push(`“${view.entity(reading.subjects[0]!)?.name}” picks ${view.entity(linked[0]!)?.name} from the choices offered.`);
      reading.subjects = [linked[0]!];
      if (context.aspect) {
        aspect = context.aspect;
        confidence = 1;
      }
    }
  }
  if (context?.choices && reading.choice) {
    // "the flax one" after "which one?": a name that fits one of the offered choices.
    const offered = reading.choice.candidates.filter((id) => context.choices!.includes(id));
    if (offered.length === 1) {
      addSubject(reading, offered[0]!);
      delete reading.choice;
      // …the question that was asked back about, unless this one asks something of its own.
      if (aspectless && context.aspect) {
        aspect = context.aspect;
        confidence = 1;
        reading.followUp = true;
        steps.push(`It picks ${view.entity(offered[0]!)?.name ?? offered[0]} and asks the same as before: ${aspect}.`);
      }
    }
  }

  // An unknown name the question is about: the only name-like words, or a name set beside a
  // known one in a comparison ("is Blorptech linked to Integrity Tech?").
  const properUnknown = found.unknown.find((u) => u.proper);
  if (reading.subjects.length === 0 && !reading.choice) reading.unknownName = properUnknown ?? found.unknown[0];
  else if (properUnknown && (cues.sameAs || cues.both || reading.aspect === 'relation' || aspect === 'sanctions'))
    reading.unknownName = properUnknown;
  if (!reading.subjects.length && !reading.choice && found.near.length > 0) reading.near = found.near[0];

  preferEvents(reading, view, lower, context);
  reading.aspect = aspect;
  reading.confidence = confidence;
  return reading;
}

/** Entities a pasted link is about: the targets of the designations it announced, or its advisory's entities. */
function subjectsOfLinks(view: KnowledgeView, links: readonly string[]): string[] {
  const out: string[] = [];
  for (const link of links) {
    const key = urlKey(link);
    for (const source of view.sourcesWithUrl(key)) for (const s of view.sanctionsCiting(source)) out.push(s.targetId);
    for (const a of view.advisoriesAt(key)) out.push(...a.entities.slice(0, LINK_ENTITIES));
  }
  return [...new Set(out)];
}

/** How many of an advisory's entities a pasted link stands for (the first are its main ones). */
const LINK_ENTITIES = 2;

function isPlace(view: KnowledgeView, m: Mention): boolean {
  return m.entityIds.length === 1 && view.entity(m.entityIds[0]!)?.type === 'country';
}

function addSubject(reading: Reading, id: string): void {
  if (!reading.subjects.includes(id)) reading.subjects.push(id);
}

/**
 * "the botnet": the one of that kind the question or the conversation is about, else the only
 * one, else a question back. A noun attached to a name ("Flax Typhoon's botnet", "his company")
 * replaces the name by the linked thing of that kind; a noun on its own ("the advisory on the
 * botnet") adds the thing beside the names.
 */
function resolveKind(
  reading: Reading,
  view: KnowledgeView,
  kind: Kind,
  at: number,
  tokens: readonly Token[],
  context: ConversationContext | undefined,
): void {
  const nounToken = tokens[at]!;
  const noun = nounToken.norm;
  let candidates = entitiesOfKind(view, kind).map((e) => e.id);
  if (candidates.length === 0) return;
  // "the 260k device botnet": the question's own words may single one out.
  const hinted = singledOut(view, kind, candidates, tokens);
  if (hinted) candidates = [hinted];
  if (reading.subjects.some((id) => candidates.includes(id))) return;
  const owner = ownerOf(reading, tokens, at, context);
  const anchors = owner ? [owner] : [...reading.subjects, ...(reading.subjects.length === 0 ? (context?.entities ?? []) : [])];
  for (const anchor of anchors) {
    const linked = [...linkedEntities(view, anchor)].filter((id) => candidates.includes(id));
    if (linked.length === 0) continue;
    // "which BeyondTrust CVEs": a plural noun means every one of that kind linked to the name.
    const meant = linked.length > 1 && nounToken.singular ? linked : linked.length === 1 ? linked : [];
    if (meant.length === 0) continue;
    if (meant.length > 1) reading.plural = meant;
    if (owner) {
      reading.subjects = [...meant, ...reading.subjects.filter((id) => id !== owner && !meant.includes(id))];
      reading.followUp ||= !reading.found.mentions.some((m) => m.entityIds.includes(owner));
    } else {
      for (const id of meant) addSubject(reading, id);
    }
    reading.steps.push(`“${noun}” is ${meant.map((id) => view.entity(id)?.name).join(', ')}, linked to ${view.entity(anchor)?.name}.`);
    return;
  }
  if (reading.choice) return;
  if (candidates.length === 1) {
    addSubject(reading, candidates[0]!);
    reading.steps.push(`“the ${noun}” can only be ${view.entity(candidates[0]!)?.name}.`);
  } else if (reading.subjects.length === 0 && candidates.length <= MAX_CHOICES) {
    reading.choice = { typed: `the ${noun}`, candidates };
  }
}

/**
 * The entity a noun belongs to: the name right before it ("Flax Typhoon's botnet", "Integrity
 * Tech botnet"), or the conversation's entity for "his company", "their botnet".
 */
function ownerOf(reading: Reading, tokens: readonly Token[], at: number, context: ConversationContext | undefined): string | undefined {
  const before = reading.found.mentions.find((m) => m.to === at && m.entityIds.length === 1);
  if (before) return before.entityIds[0];
  const possessive = tokens[at - 1];
  if (possessive && ['his', 'her', 'its', 'their'].includes(possessive.norm)) return reading.subjects[0] ?? context?.entities[0];
  return undefined;
}

/** Words that introduce a noun as a reference to a known thing: "the botnet", "his company". */
const DETERMINERS = new Set(['the', 'this', 'that', 'its', 'their', 'his', 'her', 'our', 'which', 'what', 'those', 'these']);

/** Words between a determiner and its noun ("the 260k device botnet"). */
const NOUN_PHRASE_REACH = 3;

function introduced(tokens: readonly Token[], i: number, covered: ReadonlySet<number>): boolean {
  for (let j = i - 1; j >= 0 && j >= i - NOUN_PHRASE_REACH; j--) {
    const t = tokens[j]!;
    if (DETERMINERS.has(t.norm) || covered.has(j) || /['’]s$/i.test(t.raw)) return true;
  }
  return false;
}

/** "260k" → "260,000": a figure as facts write it. */
function figureOf(word: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|m)$/.exec(word);
  if (!m) return /^\d{4,}$/.test(word) ? Number(word).toLocaleString('en-US') : undefined;
  return (Number(m[1]) * (m[2] === 'k' ? 1_000 : 1_000_000)).toLocaleString('en-US');
}

/** The one candidate whose facts hold a figure the question gives ("the 260k device botnet"). */
function singledOut(view: KnowledgeView, kind: Kind, candidates: readonly string[], tokens: readonly Token[]): string | undefined {
  const figures = tokens.map((t) => figureOf(t.norm)).filter((f): f is string => Boolean(f));
  if (figures.length === 0) return undefined;
  // One pass over the kind's claims: a kind may hold every KEV entry.
  const holders = view.holdingText(kind.types, figures);
  const holding = candidates.filter((id) => holders.has(id));
  return holding.length === 1 ? holding[0] : undefined;
}

/** At most this many entities are offered in a question back. */
export const MAX_CHOICES = 6;

/**
 * "who hacked the Treasury?": an organisation named in a question about what happened, who did
 * it or how, means the incident that happened to it, when there is one.
 */
function preferEvents(reading: Reading, view: KnowledgeView, lower: string, context?: ConversationContext): void {
  if (!EVENT_ASPECTS.has(reading.aspect) && reading.aspect !== 'sanctions') return;
  const main = reading.subjects[0];
  const e = main ? view.entity(main) : undefined;
  if (!e || EVENT_TYPES.has(e.type)) return;
  // "tell me about the treasury hack" … "when did treasury find out": still the incident talked about.
  const talkedAbout = context?.entities[0] ? view.entity(context.entities[0]) : undefined;
  if (
    talkedAbout?.type === 'incident' &&
    FOLLOWS_THE_EVENT.has(reading.aspect) &&
    reading.subjects.length === 1 &&
    (linkedEntities(view, talkedAbout.id).has(e.id) || sharesAWord(talkedAbout.name, e.name))
  ) {
    reading.subjects = [talkedAbout.id, e.id];
    reading.steps.push(`The conversation is about ${talkedAbout.name}, which ${e.name} is part of.`);
    return;
  }
  if (TAKEDOWN_WORDS.test(lower) && reading.aspect !== 'sanctions') {
    const takedown = [...linkedEntities(view, e.id)]
      .map((id) => view.entity(id)!)
      .find((x) => x.type === 'event' && /disruption|takedown/i.test(x.name));
    if (takedown) {
      reading.subjects = [takedown.id, ...reading.subjects];
      reading.steps.push(`The question is about the takedown: ${takedown.name}.`);
      return;
    }
  }
  if (!EVENT_WORDS.test(lower) || e.type === 'threat-actor') return;
  const events = [...linkedEntities(view, e.id)]
    .map((id) => view.entity(id)!)
    .filter((x) => x.type === 'incident')
    .concat(view.entitiesOfType(['incident']).filter((x) => sharesAWord(x.name, e.name)));
  const event = events[0];
  if (!event) return;
  reading.subjects = [event.id, ...reading.subjects.filter((id) => id !== event.id)];
  reading.steps.push(`The question is about what happened: ${event.name}.`);
}

/** Whether two names share a word longer than a few letters ("US Treasury Department breach", "US Department of the Treasury"). */
function sharesAWord(a: string, b: string): boolean {
  const words = new Set(
    normalizeText(a)
      .split(' ')
      .filter((w) => w.length > 3),
  );
  return normalizeText(b)
    .split(' ')
    .some((w) => words.has(w));
}

function coveredTokens(mentions: readonly Mention[]): Set<number> {
  const out = new Set<number>();
  for (const m of mentions) for (let i = m.from; i < m.to; i++) out.add(i);
  return out;
}

/** How a name in the question was matched, in words: "“Murky Panda” is the alias “MURKY PANDA” (used by Microsoft) of Silk Typhoon". */
export function explainMention(view: KnowledgeView, m: Mention): string {
  if (m.entityIds.length !== 1) return `“${m.typed}” ${describeMention(view, m)}.`;
  const id = m.entityIds[0]!;
  const row = m.names.get(id);
  const entity = view.entity(id)?.name ?? id;
  const name = !row || row.canonical ? 'the name' : `the alias “${row.name}”${row.usedBy ? ` (used by ${row.usedBy})` : ''}`;
  const how = { exact: 'is', 'word-order': 'is, in another order,', typo: 'is a close spelling of', partial: 'is part of' }[m.method];
  return `“${m.typed}” ${how} ${name} of ${entity}.`;
}

function describeMention(view: KnowledgeView, m: Mention): string {
  const names = m.entityIds.map((id) => view.entity(id)?.name ?? id);
  const how = {
    exact: 'a name of',
    'word-order': 'the name, in another order, of',
    typo: 'a close spelling of a name of',
    partial: 'part of a name of',
  }[m.method];
  return names.length === 1 ? `${how} ${names[0]}` : `${how} ${names.length} entities (${names.join(', ')})`;
}
