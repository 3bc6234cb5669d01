import { randomBytes } from 'node:crypto';
import { createKnowledgeView, type KnowledgeView } from '../access/knowledge-view.js';
import { quoteUser } from '../base/format.js';
import { normalizeName, normalizeText } from '../base/normalize.js';
import type { Tlp } from '../base/tlp.js';
import type { KnowledgeProblem } from '../knowledge/load.js';
import type { KnowledgeLoader } from '../knowledge/load-off-thread.js';
import { loadInThread, syncKnowledge } from '../knowledge/sync.js';
import { listedNames } from '../screen/listed-names.js';
import { Screener } from '../screen/screener.js';
import type { EntityRecord, FactStore } from '../store/fact-store.js';
import { createSqliteState } from '../store/shared/sqlite.js';
import type { SharedState } from '../store/shared/state.js';
import { type ContextStore, type ConversationContext, createContextStore } from '../understand/context.js';
import { DEFAULT_RESOLVER_OPTIONS, Resolver, type ResolverOptions } from '../understand/resolve.js';
import { explainMention, type Reading, understand } from '../understand/understand.js';
import {
  type Compose,
  composeAdvisories,
  composeAdvisoryNamed,
  composeChoice,
  composeFacts,
  composeLatest,
  composeProfile,
  composeUnknown,
  questionWords,
  ref,
} from './compose.js';
import { composeAttackProfile, composeKev, composeMitigations, composeUsedBy, composeUses, composeWithdrawn } from './compose-attack.js';
import { composeNames } from './compose-names.js';
import { composeRelation } from './compose-relation.js';
import { asksAboutTheLists, composeListStatus, composeSanctions, screenTyped } from './compose-sanctions.js';
import { helpReply, menuPromptReply } from './help.js';
import { contentWords, RELEVANT, rankClaims, stem } from './rank.js';
import { cardToText, makeReply, type Reply } from './reply.js';
import { type Answer, MAX_SUPPORT, render } from './said.js';

/** Longest question the bot will try to understand, in characters. */
export const MAX_QUESTION_LENGTH = 2000;

export interface EngineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AnswerEngineOptions {
  store: FactStore;
  knowledgeDir: string;
  now?: () => Date;
  resolver?: Partial<ResolverOptions>;
  /** How often, at most, to look for changed knowledge files; 0 looks at every answer, `ONE_SHOT` (Infinity) only on `refresh()`. */
  reloadIntervalMs?: number;
  /** How changed knowledge files are read (default: in this thread, after the question in hand). */
  loadKnowledge?: KnowledgeLoader;
  logger?: EngineLogger;
  /** Where conversations' contexts are kept (shared by replicas); the SQLite store's own table by default. */
  state?: SharedState;
}

export interface AnswerOptions {
  /** The highest TLP marking the asking conversation may see (default CLEAR). */
  clearance?: Tlp;
  /**
   * The conversation a question belongs to (platform, conversation and user), so that a
   * follow-up is read against the previous turn. Without it every question stands alone.
   */
  conversation?: string;
}

export interface AnswerEngine {
  answer(question: string, options?: AnswerOptions): Promise<Reply>;
  /**
   * Loads changed knowledge now (after any reload already under way); returns the problems if
   * the files are invalid.
   */
  refresh(): Promise<KnowledgeProblem[]>;
  knowledgeVersion(): string | undefined;
  /** The name resolver over what a conversation at `clearance` may see. */
  resolver(clearance?: Tlp): Resolver;
  /** The screener built for `clearance` over the names the store holds now, if one is built (none before its first sanctions question). */
  preparedScreener(clearance?: Tlp): Screener | undefined;
}

export function createAnswerEngine(opts: AnswerEngineOptions): AnswerEngine {
  const { store, knowledgeDir } = opts;
  const now = opts.now ?? (() => new Date());
  const resolverOptions = { ...DEFAULT_RESOLVER_OPTIONS, ...opts.resolver };
  const interval = opts.reloadIntervalMs ?? 2000;
  const load = opts.loadKnowledge ?? loadInThread;
  // One resolver per clearance level: bounded by the four TLP levels.
  const resolvers = new Map<Tlp, { stamp: string; resolver: Resolver }>();
  const screeners = new Map<Tlp, { stamp: string; screener: Screener }>();
  let contexts: ContextStore | undefined;
  let lastCheck = Number.NEGATIVE_INFINITY;
  /** The reloads asked for, one after another: a refresh waits for the one under way. */
  let reloads: Promise<unknown> = Promise.resolve();
  let reloading = false;

  /** Changes when the curated knowledge or the imported names (a list, its aliases) change. */
  const namesStamp = () => `${store.knowledgeVersion()}:${store.getMeta('names_changed') ?? ''}`;

  const resolverFor = (view: KnowledgeView): Resolver => {
    const table = view.names();
    const cached = resolvers.get(view.clearance);
    const stamp = namesStamp();
    if (cached && cached.stamp === stamp) return cached.resolver;
    const resolver = new Resolver(table, resolverOptions);
    resolvers.set(view.clearance, { stamp, resolver });
    return resolver;
  };

  /**
   * The screener over the listed names a clearance may see. Built by `prepare` when the names
   * change, for every clearance that screened before; built here only for a clearance's first
   * sanctions question, or when a question comes before the reload that would have built it.
   */
  const screenerFor = (view: KnowledgeView): Screener => {
    const stamp = namesStamp();
    const cached = screeners.get(view.clearance);
    if (cached && cached.stamp === stamp) return cached.screener;
    const screener = new Screener(listedNames(view));
    screeners.set(view.clearance, { stamp, screener });
    return screener;
  };

  /**
   * Builds the resolvers and screeners of every clearance in use against the names the store
   * holds now — new curated knowledge, or a list imported since (by `feeds sync` or `threatbrief
   * import`) — so that the first question after does not pay for them (a screener over a
   * 20,000-name list takes seconds). Runs right after the store took the new knowledge, with no
   * await in between: no question sees new facts with old names. Up-to-date ones are kept.
   */
  const prepare = () => {
    for (const clearance of resolvers.keys()) resolverFor(createKnowledgeView(store, clearance)).warm();
    for (const clearance of screeners.keys()) screenerFor(createKnowledgeView(store, clearance));
  };

  const reload = async (): Promise<KnowledgeProblem[]> => {
    lastCheck = Date.now();
    const result = await syncKnowledge(store, knowledgeDir, now, load);
    // Even when the files are invalid: a list imported since is served, and so is screened.
    prepare();
    if (result.status === 'failed') {
      opts.logger?.warn(
        { problems: result.problems.length, version: result.version },
        'knowledge files are invalid; still serving the last good knowledge',
      );
      return result.problems;
    }
    return [];
  };

  const refresh = (): Promise<KnowledgeProblem[]> => {
    const next = reloads.then(reload);
    reloads = next.catch(() => undefined);
    return next;
  };

  /**
   * Looks for changed knowledge without making the question in hand wait: it is answered from
   * the knowledge loaded now, and the new knowledge is swapped in when it is ready.
   */
  const reloadInBackground = () => {
    if (reloading) return;
    reloading = true;
    lastCheck = Date.now();
    refresh()
      .catch((err: unknown) => {
        // A reload that outlived its store (the process is closing) has nothing left to do.
        if (store.db.open) opts.logger?.error({ err }, 'reloading the knowledge failed; still serving the last good knowledge');
      })
      .finally(() => {
        reloading = false;
      });
  };

  const answer = async (question: string, options: AnswerOptions = {}): Promise<Reply> => {
    try {
      if (Date.now() - lastCheck >= interval) {
        if (store.knowledgeVersion() === undefined)
          await refresh(); // nothing to serve meanwhile
        else reloadInBackground();
      }
      store.syncCache();
      if (store.knowledgeVersion() === undefined) return noKnowledgeReply(knowledgeDir);
      const view = createKnowledgeView(store, options.clearance ?? 'CLEAR');
      contexts ??= createContextStore(opts.state ?? createSqliteState(store));
      const context = options.conversation ? await readContext(contexts, options.conversation, opts.logger) : undefined;
      const { reply, reading } = respond(view, resolverFor(view), question, context, () => screenerFor(view));
      if (options.conversation && reading) await saveContext(contexts, options.conversation, reading, reply, opts.logger);
      return reply;
    } catch (err) {
      const reference = randomBytes(4).toString('hex');
      opts.logger?.error({ err, reference }, 'answering failed');
      return errorReply(reference);
    }
  };

  return {
    answer,
    refresh,
    knowledgeVersion: () => store.knowledgeVersion(),
    resolver: (clearance = 'CLEAR') => resolverFor(createKnowledgeView(store, clearance)),
    preparedScreener: (clearance = 'CLEAR') => {
      const cached = screeners.get(clearance);
      return cached?.stamp === namesStamp() ? cached.screener : undefined;
    },
  };
}

/** A lost context only costs a follow-up its context: never the answer. */
async function readContext(contexts: ContextStore, key: string, logger?: EngineLogger): Promise<ConversationContext | undefined> {
  try {
    return await contexts.get(key);
  } catch (err) {
    logger?.warn({ err }, 'could not read the conversation context; answering without it');
    return undefined;
  }
}

/** What the next turn may refer back to: what this question was about, or the choices offered. */
async function saveContext(contexts: ContextStore, key: string, reading: Reading, reply: Reply, logger?: EngineLogger): Promise<void> {
  const clarify = reply.intent === 'clarify';
  const entities = clarify ? [] : reading.subjects.length > 0 ? reading.subjects : reply.entities.map((e) => e.id);
  // An unknown name leaves no subject, but its question stays asked: "what about X?" asks it of X.
  if (entities.length === 0 && !clarify && !reply.aspect) return;
  const context: ConversationContext = { entities: entities.slice(0, CONTEXT_ENTITIES) };
  if (reply.aspect) context.aspect = reply.aspect;
  if (clarify) context.choices = reply.entities.map((e) => e.id);
  try {
    await contexts.set(key, context);
  } catch (err) {
    logger?.warn({ err }, 'could not save the conversation context; the next question will stand alone');
  }
}

export function errorReply(reference: string): Reply {
  return makeReply('error', {
    title: 'Something went wrong',
    elements: [
      {
        kind: 'note',
        text: `I could not answer that because of an internal error. Reference: ${reference}. Please try again; if it keeps happening, give this reference to the bot's operators.`,
      },
    ],
    citations: [],
  });
}

/** No knowledge at all: an error, never a "no record". */
export function noKnowledgeReply(knowledgeDir: string): Reply {
  return makeReply('no-knowledge', {
    title: 'No knowledge loaded',
    elements: [
      {
        kind: 'note',
        text: `I have no knowledge loaded, so I can't answer anything yet. An operator should check the knowledge folder (${knowledgeDir}) with "threatbrief check".`,
      },
    ],
    citations: [],
  });
}

/**
 * Answers one question from the knowledge a conversation may see: reads it, composes the
 * answer to what it asks, and renders it. Pure apart from reading the store.
 */
export function answerQuestion(
  view: KnowledgeView,
  resolver: Resolver,
  raw: string,
  context: ConversationContext | undefined,
  screener: () => Screener,
): Reply {
  return respond(view, resolver, raw, context, screener).reply;
}

/** How many entities a conversation remembers for the next turn. */
const CONTEXT_ENTITIES = 3;

function respond(
  view: KnowledgeView,
  resolver: Resolver,
  raw: string,
  context: ConversationContext | undefined,
  screener: () => Screener,
): { reply: Reply; reading?: Reading } {
  const guard = guardQuestion(raw) ?? menuPromptReply(raw);
  if (guard) return { reply: guard };
  const reading = understand(raw, { view, resolver, context });
  if (reading.aspect === 'help' && reading.subjects.length === 0 && !reading.unknownName && !asksAboutTheLists(raw))
    return { reply: helpReply(), reading };
  const answer = compose({ view, reading, resolver, screener });
  const reply = render(answer, view);
  const held = view.withheld();
  if (held > 0) {
    const card = { ...reply.card, elements: [...reply.card.elements, { kind: 'note' as const, text: withheldNote(held, view.clearance) }] };
    reply.card = card;
    reply.text = cardToText(card, { title: false });
  }
  reply.explain = reading.steps;
  const main = reading.found.mentions.find((m) => m.entityIds.length === 1 && m.entityIds[0] === reading.subjects[0]);
  if (main && !reply.match)
    reply.match = { entityId: main.entityIds[0]!, score: main.score, method: main.method, explanation: explainMention(view, main) };
  return { reply, reading };
}

/** The sentence an answer ends with when something was held back. */
export function withheldNote(count: number, clearance: Tlp): string {
  return `${count} more item${count === 1 ? ' is' : 's are'} marked above TLP:${clearance}, the clearance here, and not shown. Ask me in a direct message: I answer there up to your own clearance.`;
}

function guardQuestion(raw: string): Reply | undefined {
  if (raw.length > MAX_QUESTION_LENGTH) {
    return makeReply('too-long', {
      title: 'That question is too long',
      elements: [
        {
          kind: 'note',
          text: `Your message is ${raw.length.toLocaleString('en-US')} characters long. Please ask a shorter question (at most ${MAX_QUESTION_LENGTH.toLocaleString('en-US')} characters), for example “who is Flax Typhoon?”.`,
        },
      ],
      citations: [],
    });
  }
  if (!/[\p{L}\p{N}]/u.test(raw)) {
    return makeReply('empty', {
      title: 'Ask me about a threat actor, company or advisory',
      elements: [
        {
          kind: 'note',
          text: 'For example “who is Flax Typhoon?”, “is Integrity Tech sanctioned?” or “latest”. Type “help” for everything I understand.',
        },
      ],
      citations: [],
    });
  }
  return undefined;
}

/** Chooses what to say from what was read. */
function compose(c: Compose): Answer {
  const { view, reading } = c;
  const main = reading.subjects[0] ? view.entity(reading.subjects[0]) : undefined;
  // An ATT&CK id read as a near spelling of another ("G0058" for G0059) may be one ATT&CK withdrew.
  for (const m of reading.found.mentions.filter((x) => x.method !== 'exact')) {
    const withdrawn = composeWithdrawn(c, m.typed);
    if (withdrawn) return withdrawn;
  }
  const listStatus = composeListStatus(c);
  if (listStatus) return listStatus;
  // "is KOTI CORP sanctioned?" when KOTI CORP and the vessel KOTI are both listed: screening tells them apart.
  const screenedChoice =
    reading.choice && reading.aspect === 'sanctions' ? screenTyped(c, { screener: c.screener }, reading.choice.typed) : undefined;
  if (screenedChoice) return screenedChoice;
  if (reading.choice) return composeWithdrawn(c, reading.choice.typed) ?? composeChoice(c, reading.choice.typed, reading.choice.candidates);
  if (reading.aspect === 'sanctions') return composeSanctions(c, { screener: c.screener });
  if (!main) {
    if (reading.aspect === 'latest' && !reading.unknownName) return composeLatest(c);
    // Lower-case words that name nothing known ("the telecom provider hacks") may still be what some facts say.
    if (reading.unknownName)
      return (
        composeWithdrawn(c, reading.unknownName.typed) ??
        composeAdvisoryNamed(c, reading.unknownName.typed) ??
        (reading.unknownName.proper ? composeUnknown(c, reading.unknownName.typed) : search(c, reading.unknownName.typed))
      );
    if (reading.near) return didYouMean(c, reading);
    if (reading.pronoun) return whichOne(c);
    return search(c);
  }
  if (reading.plural && !['sanctions', 'relation', 'aliases'].includes(reading.aspect)) return each(c, reading.plural);
  const structured = attackOrKev(c, main);
  if (structured) return structured;
  switch (reading.aspect) {
    case 'profile':
    case 'help':
      return reading.cues.both && reading.subjects.length > 1 ? several(c) : composeProfile(c, main);
    case 'aliases':
      return composeNames(c);
    case 'relation':
      return composeRelation(c);
    case 'latest':
      return composeLatest(c, main);
    case 'advisories':
      return composeAdvisories(c, main);
    case 'statements':
      return statements(c);
    case 'attribution':
      return attribution(c);
    default:
      return firstWithFacts(c, reading.aspect);
  }
}

/** Words that ask about CISA's Known Exploited Vulnerabilities catalog. */
const KEV_WORDS = /\b(kev|known exploited|exploited|due date|required action)\b/i;

/** Answers from ATT&CK's structure and the KEV catalog, where the subject and the question fit one. */
function attackOrKev(c: Compose, main: EntityRecord): Answer | undefined {
  const { aspect, text } = c.reading;
  if (aspect === 'kev' || (main.type === 'vulnerability' && KEV_WORDS.test(text))) return composeKev(c, main);
  if (aspect === 'used-by') return composeUsedBy(c, main) ?? composeUses(c, main);
  if (aspect === 'techniques') return composeUses(c, main) ?? composeUsedBy(c, main);
  if (aspect === 'mitigation') return composeMitigations(c, main);
  if (aspect === 'profile' && !c.reading.cues.both) return composeAttackProfile(c, main);
  return undefined;
}

/**
 * The first subject with facts that answer the aspect, facts naming the question's other
 * subjects first ("when did Lumen publish on the KV botnet": Lumen's facts about the KV botnet).
 */
function firstWithFacts(c: Compose, aspect: Reading['aspect']): Answer {
  let entities = c.reading.subjects.map((id) => c.view.entity(id)).filter((e): e is NonNullable<typeof e> => Boolean(e));
  // "how many …": the subject with figures first (a link to a takedown is about the botnet's size).
  if (aspect === 'count') {
    const figures = (id: string) => c.view.claims(id).filter((cl) => cl.quantity).length;
    entities = [...entities].sort((a, b) => Number(figures(b.id) > 0) - Number(figures(a.id) > 0));
  }
  const answers = entities.map((e) => {
    const others = entities.filter((o) => o !== e).flatMap((o) => nameWords(c, o.id));
    return { answer: composeFacts(c, e, aspect, others), others };
  });
  const found = answers.filter(({ answer }) => !answer.headline.text.startsWith('I have no record'));
  // "who's behind the BeyondTrust key theft": who did what happened, before what the other subjects' facts say.
  const first = entities[0];
  if (aspect === 'attribution' && first && EVENTISH.has(first.type) && found[0]?.answer === answers[0]?.answer) return answers[0]!.answer;
  // "since when has the FBI been investigating APT27": the fact that names both leads, whichever subject holds it.
  const naming = found.find(({ answer, others }) => others.some((w) => normalizeText(answer.headline.text).includes(w)));
  // …and only the facts that name them too follow it: the others are about something else.
  if (naming) {
    const namesOthers = (text: string) => naming.others.some((w) => normalizeText(text).includes(w));
    return { ...naming.answer, support: naming.answer.support.filter((l) => namesOthers(l.text)) };
  }
  const chosen = found[0];
  if (chosen) return chosen.answer;
  if (aspect === 'attribution' && entities[0]) return attributionThroughLink(c, entities[0]) ?? answers[0]!.answer;
  return adviceThroughVulnerabilities(c, entities, aspect) ?? answers[0]!.answer;
}

/**
 * "what should we patch for the BeyondTrust hack": an event or product has no advice of its own,
 * but the vulnerabilities on record with it do (the fix lives on the CVE). Their advice answers,
 * rather than a false "no record". Only vulnerabilities: another kind of neighbour's facts are
 * about something else.
 */
function adviceThroughVulnerabilities(c: Compose, subjects: readonly EntityRecord[], aspect: Reading['aspect']): Answer | undefined {
  if (aspect !== 'mitigation') return undefined;
  const { view } = c;
  const ids = new Set<string>();
  for (const subject of subjects) {
    for (const cl of view.claims(subject.id)) if (cl.objectId) ids.add(cl.objectId);
    for (const cl of view.claimsAbout(subject.id)) ids.add(cl.entityId);
  }
  const vulnerabilities = [...ids].filter((id) => view.entity(id)?.type === 'vulnerability');
  if (vulnerabilities.length === 0) return undefined;
  if (vulnerabilities.length === 1) return composeFacts(c, view.entity(vulnerabilities[0]!)!, aspect);
  const listed = each(c, vulnerabilities);
  const names = listed.entities.map((e) => e.name).join(', ');
  return { ...listed, headline: { text: `The vulnerabilities on record with ${subjects[0]!.name}: ${names}.`, sources: [] } };
}

/** Kinds of thing whose attribution carries over to what they are part of or run ("Nosedive" runs on Raptor Train). */
const CARRIES_ATTRIBUTION = new Set(['botnet', 'campaign', 'incident', 'malware', 'event']);

/**
 * "who is Nosedive attributed to?" with no attribution of Nosedive itself: the fact linking it
 * to a botnet or campaign that is attributed, then that attribution — each with its source.
 */
function attributionThroughLink(c: Compose, entity: EntityRecord): Answer | undefined {
  const { view } = c;
  const links = [
    ...view
      .claims(entity.id)
      .filter((cl) => cl.objectId)
      .map((cl) => ({ claim: cl, other: cl.objectId! })),
    ...view.claimsAbout(entity.id).map((cl) => ({ claim: cl, other: cl.entityId })),
  ];
  for (const { claim, other } of links) {
    const linked = view.entity(other);
    if (!linked || !CARRIES_ATTRIBUTION.has(linked.type)) continue;
    const through = composeFacts(c, linked, 'attribution');
    if (through.headline.text.startsWith('I have no record')) continue;
    return {
      ...through,
      title: entity.name,
      headline: { text: claim.text, sources: claim.sources },
      support: [through.headline, ...through.support].slice(0, MAX_SUPPORT),
      entities: [ref(entity), ...through.entities],
    };
  }
  return undefined;
}

const EVENTISH = new Set(['incident', 'event', 'campaign', 'botnet', 'malware']);
const ACTORISH = new Set(['threat-actor', 'organization', 'country', 'person', 'government-body']);

/**
 * "who is behind X?"; and "was Salt Typhoon behind the Treasury breach?", which names a
 * culprit: yes only if a fact attributes X to it, else no, with who the facts do name.
 */
function attribution(c: Compose): Answer {
  const entities = c.reading.subjects.map((id) => c.view.entity(id)!).filter(Boolean);
  const event = entities.find((e) => EVENTISH.has(e.type));
  const claimed = entities.find((e) => e !== event && ACTORISH.has(e.type));
  // Only a yes/no question names a culprit to check ("was X behind Y?", "Y was X, right?"), not "who hacked Y?".
  const checks = /^(was|is|were|are|did|does|has|have)\b/i.test(c.reading.text) || c.reading.cues.tag;
  if (!event || !claimed || !checks) return firstWithFacts(c, 'attribution');
  const facts = composeFacts(c, event, 'attribution');
  const naming = rankClaims(c.view, event.id, 'attribution', questionWords(c.reading)).filter(
    (r) => r.score >= RELEVANT && (r.inverse ? r.claim.entityId : r.claim.objectId) === claimed.id,
  );
  // "officially attributed": only a government's own statement says so, not press reports of it.
  const official = OFFICIAL.test(c.reading.text);
  const saysSo = official ? naming.filter((r) => r.claim.sources.some((id) => c.view.source(id)?.kind === 'government')) : naming;
  if (saysSo.length > 0) {
    const yes = saysSo[0]!.claim;
    const rest = [facts.headline, ...facts.support].filter((l) => l.text !== yes.text);
    return { ...facts, headline: { text: `Yes — ${yes.text}`, sources: yes.sources }, support: rest.slice(0, MAX_SUPPORT) };
  }
  const unofficial = naming[0]?.claim;
  return {
    ...facts,
    headline: {
      text: unofficial
        ? `No — I have no record of an official attribution of ${event.name} to ${claimed.name}.`
        : `No — I have no record that ${claimed.name} was behind ${event.name}.`,
      sources: [],
    },
    support: [...(unofficial ? [{ text: unofficial.text, sources: unofficial.sources }] : []), facts.headline, ...facts.support]
      .filter((l, i, all) => all.findIndex((o) => o.text === l.text) === i)
      .slice(0, MAX_SUPPORT),
  };
}

const OFFICIAL = /\b(official(ly)?|government|formally)\b/i;

/** Predicates of claims that report what someone said, and the words that report it in others. */
const SAYINGS = new Set(['statement', 'response']);
const SAID = /\b(said|says|stated|called|told|wrote|warned|announced|letter)\b/i;

/**
 * "what did Wray say about Flax Typhoon?": statements about the topic that name the speaker,
 * or the speaker's own statements that name the topic; else that none is on record, with what
 * others said.
 */
function statements(c: Compose): Answer {
  const entities = c.reading.subjects.map((id) => c.view.entity(id)!).filter(Boolean);
  const speaker = entities.length > 1 ? entities.find((e) => SPEAKERS.has(e.type)) : undefined;
  const topic = entities.find((e) => e !== speaker)!;
  if (!speaker) return composeFacts(c, topic, 'statements');
  const words = questionWords(c.reading);
  const saying = (about: string, naming: readonly string[]) =>
    rankClaims(c.view, about, 'statements', words, naming).filter(
      (r) => (SAYINGS.has(r.claim.predicate) || SAID.test(r.claim.text)) && naming.some((w) => normalizeText(r.claim.text).includes(w)),
    );
  const found = [...saying(topic.id, nameWords(c, speaker.id)), ...saying(speaker.id, nameWords(c, topic.id))];
  if (found.length > 0) {
    const lines = found.map((r) => ({ text: r.claim.text, sources: r.claim.sources }));
    return {
      intent: 'statements',
      aspect: 'statements',
      title: `${speaker.name} on ${topic.name}`,
      headline: lines[0]!,
      support: lines.slice(1, 1 + MAX_SUPPORT),
      entities: [ref(speaker), ref(topic)],
    };
  }
  const others = composeFacts(c, topic, 'statements');
  return {
    ...others,
    headline: { text: `I have no record of a statement by ${speaker.name} about ${topic.name}.`, sources: [] },
    support: others.headline.text.startsWith('I have no record') ? [] : [others.headline, ...others.support].slice(0, 2),
    entities: [ref(speaker), ref(topic)],
  };
}

/** Entity types that make statements (a person, a government body, a country). */
const SPEAKERS = new Set(['person', 'government-body', 'country']);

/**
 * How an entity is written in fact text: its names as phrases, and the words of them that name
 * it alone ("wray", "kecheng"); never a word many names share ("typhoon", "department").
 */
function nameWords(c: Compose, id: string): string[] {
  const e = c.view.entity(id);
  if (!e) return [];
  const names = [e.name, ...c.view.aliases(id).map((a) => a.name)].map((n) => normalizeName(n)).filter((n) => n.length > 3);
  const out = new Set(names);
  for (const n of names) for (const w of n.split(' ')) if (w.length > 3 && c.resolver.entitiesWithWords([w]).size === 1) out.add(w);
  return [...out];
}

/** "which BeyondTrust CVEs should we patch": the best fact about each of them. */
function each(c: Compose, ids: readonly string[]): Answer {
  const entities = ids.map((id) => c.view.entity(id)!).filter(Boolean);
  const lines = entities.map((e) => {
    const a = composeFacts(c, e, c.reading.aspect);
    return a.headline.text.startsWith('I have no record') ? { text: `${e.name}: ${a.headline.text}`, sources: [] } : a.headline;
  });
  return {
    intent: c.reading.aspect,
    aspect: c.reading.aspect,
    title: entities.map((e) => e.name).join(', '),
    headline: { text: `${entities.length} are on record: ${entities.map((e) => e.name).join(', ')}.`, sources: [] },
    support: lines,
    entities: entities.map(ref),
  };
}

/** "who are A and B?": a line each. */
function several(c: Compose): Answer {
  const entities = c.reading.subjects.map((id) => c.view.entity(id)!).filter(Boolean);
  const lines = entities.map((e) => ({ text: `${e.name}: ${e.summary}`, sources: e.summarySources }));
  return {
    intent: 'profile',
    aspect: 'profile',
    title: entities.map((e) => e.name).join(' and '),
    headline: lines[0]!,
    support: lines.slice(1),
    entities: entities.map(ref),
  };
}

/** "when was it first reported?" with nothing said before: ask for the name rather than guess. */
function whichOne(c: Compose): Answer {
  return {
    intent: 'clarify',
    aspect: c.reading.aspect,
    title: 'Which one do you mean?',
    headline: { text: 'Which one do you mean? Name it, for example “when was Flax Typhoon first reported?”.', sources: [] },
    support: [],
    entities: [],
  };
}

/** A name close to a known one but not close enough: asked, not guessed. */
function didYouMean(c: Compose, reading: Reading): Answer {
  const near = reading.near!;
  const e = c.view.entity(near.match.entityId)!;
  return {
    intent: 'clarify',
    aspect: reading.aspect,
    title: `Did you mean ${e.name}?`,
    headline: { text: `I have no record of ${quoteUser(near.typed)}. Did you mean ${e.name}?`, sources: [] },
    support: [],
    choices: { prompt: 'Ask about it:', choices: [{ label: e.name, command: `who is ${e.name}?` }] },
    entities: [ref(e)],
  };
}

/** No name at all: the statements that hold the question's words, if any. */
function search(c: Compose, typed = c.reading.text): Answer {
  const words = contentWords(questionWords(c.reading));
  const { hits, held } = relaxedSearch(c.view, words);
  const lines = hits.flatMap((h) => {
    if (h.kind === 'claim') {
      const cl = c.view.claim(Number(h.ref));
      return cl ? [{ text: cl.text, sources: cl.sources }] : [];
    }
    if (h.kind === 'entity') {
      const e = c.view.entity(h.ref);
      return e ? [{ text: `${e.name}: ${e.summary}`, sources: e.summarySources }] : [];
    }
    return [];
  });
  if (lines.length === 0) return composeUnknown(c, typed);
  return {
    intent: 'search',
    aspect: c.reading.aspect,
    title: 'Statements that match',
    headline: lines[0]!,
    support: lines.slice(1),
    entities: [],
    notes: [`I found no name in the question; these statements hold its words (${held.join(', ')}).`],
  };
}

/** Facts a search shows. */
const SEARCH_HITS = 3;
/** Fewest words a relaxed search keeps: one word alone matches too much to mean anything. */
const MIN_SEARCH_WORDS = 2;
/** Searches tried at most while leaving words out, so that a long question stays cheap. */
const MAX_SEARCHES = 40;

/**
 * Facts holding all the question's words, else as many of them as any fact holds (at least
 * two, and at least half): "who was behind the telecom provider hacks announced in dec 2024"
 * finds the fact on telecom provider hacks though no fact says "announced".
 */
function relaxedSearch(view: KnowledgeView, words: readonly string[]): { hits: { kind: string; ref: string }[]; held: string[] } {
  const least = Math.max(MIN_SEARCH_WORDS, Math.ceil(words.length / 2));
  let tried = 0;
  for (let keep = words.length; keep >= least; keep--) {
    for (const subset of combinations(words, keep)) {
      if (++tried > MAX_SEARCHES) return { hits: [], held: [] };
      const hits = view.searchFacts(subset.map(stem), SEARCH_HITS, { prefix: true });
      if (hits.length > 0) return { hits, held: subset };
    }
  }
  return { hits: [], held: [] };
}

/** Every way of choosing `k` of the items, in order, the first items kept longest. */
function* combinations<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - k; i++) for (const rest of combinations(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}
