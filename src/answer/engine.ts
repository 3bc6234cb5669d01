import { randomBytes } from 'node:crypto';
import { withClearance, withheldNote } from '../access/clearance-view.js';
import { quoteUser, typeLabel } from '../base/format.js';
import { normalizeText, stripChatMarkup } from '../base/normalize.js';
import type { Tlp } from '../base/tlp.js';
import type { KnowledgeProblem } from '../knowledge/load.js';
import { syncKnowledge } from '../knowledge/sync.js';
import type { FactStore } from '../store/fact-store.js';
import { CitationList } from './cites.js';
import { composeForEntity, composeLatest, questionFor } from './compose.js';
import { classify, type QuestionIntent } from './intents.js';
import { type CardElement, cardToText, type Line, makeReply, type Reply } from './reply.js';
import { DEFAULT_RESOLVER_OPTIONS, IGNORED_WORDS, Resolver, type ResolverOptions } from './resolve.js';
import { composePossibleMatch, listsChecked } from './screening.js';

/** Longest question the bot will try to understand, in characters. */
export const MAX_QUESTION_LENGTH = 1000;

export interface EngineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AnswerEngineOptions {
  store: FactStore;
  knowledgeDir: string;
  now?: () => Date;
  resolver?: Partial<ResolverOptions>;
  /** How often, at most, to look for changed knowledge files; 0 checks before every answer. */
  reloadIntervalMs?: number;
  logger?: EngineLogger;
}

export interface AnswerOptions {
  /** The highest TLP marking the asking conversation may see (default CLEAR). */
  clearance?: Tlp;
}

export interface AnswerEngine {
  answer(question: string, options?: AnswerOptions): Promise<Reply>;
  /** Loads changed knowledge now; returns the problems if the files are invalid. */
  refresh(): Promise<KnowledgeProblem[]>;
  knowledgeVersion(): string | undefined;
  resolver(): Resolver;
}

export function createAnswerEngine(opts: AnswerEngineOptions): AnswerEngine {
  const { store, knowledgeDir } = opts;
  const now = opts.now ?? (() => new Date());
  const resolverOptions = { ...DEFAULT_RESOLVER_OPTIONS, ...opts.resolver };
  const interval = opts.reloadIntervalMs ?? 2000;
  let resolver: Resolver | undefined;
  let resolverVersion: string | undefined;
  let resolverStamp: string | undefined;
  let lastCheck = -Infinity;

  const currentResolver = (): Resolver => {
    const version = store.knowledgeVersion();
    if (!resolver || resolverVersion !== version || store.getMeta('names_changed') !== resolverStamp) {
      resolver = new Resolver(store.nameTable(), resolverOptions);
      resolverVersion = version;
      resolverStamp = store.getMeta('names_changed');
    }
    return resolver;
  };

  const refresh = async (): Promise<KnowledgeProblem[]> => {
    lastCheck = Date.now();
    const result = await syncKnowledge(store, knowledgeDir, now);
    if (result.status === 'failed') {
      opts.logger?.warn(
        { problems: result.problems.length, version: result.version },
        'knowledge files are invalid; still serving the last good knowledge',
      );
      return result.problems;
    }
    return [];
  };

  const answer = async (question: string, options: AnswerOptions = {}): Promise<Reply> => {
    try {
      if (Date.now() - lastCheck >= interval) await refresh();
      store.syncCache();
      return answerQuestion(store, currentResolver(), question, options.clearance);
    } catch (err) {
      const reference = randomBytes(4).toString('hex');
      opts.logger?.error({ err, reference }, 'answering failed');
      return errorReply(reference);
    }
  };

  return { answer, refresh, knowledgeVersion: () => store.knowledgeVersion(), resolver: currentResolver };
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

/** Answers one question from the store; pure apart from reading the store. */
/**
 * Answers one question from the store as a conversation with `clearance` may see it; says so
 * when something above the clearance was held back.
 */
export function answerQuestion(store: FactStore, resolver: Resolver, raw: string, clearance: Tlp = 'CLEAR'): Reply {
  const { view, withheld } = withClearance(store, clearance);
  const reply = answerFromView(view, resolver, raw);
  const held = withheld();
  if (held === 0) return reply;
  const card = { ...reply.card, elements: [...reply.card.elements, { kind: 'note' as const, text: withheldNote(held, clearance) }] };
  return { ...reply, card, text: cardToText(card) };
}

function answerFromView(store: FactStore, resolver: Resolver, raw: string): Reply {
  const question = stripChatMarkup(raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' '));
  if (question.length > MAX_QUESTION_LENGTH) {
    return makeReply('too-long', {
      title: 'That question is too long',
      elements: [
        {
          kind: 'note',
          text: `Your message is ${question.length} characters long. Please ask a shorter question (at most ${MAX_QUESTION_LENGTH} characters), for example “who is Flax Typhoon?”.`,
        },
      ],
      citations: [],
    });
  }
  if (!/[\p{L}\p{N}]/u.test(question)) {
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

  const intent = classify(question);
  if (intent === 'latest') return composeLatest(store);

  // A sanctions question screens the whole name asked about (see ResolveOptions).
  const resolution = resolver.resolve(question, { screening: intent === 'sanctions' });
  switch (resolution.kind) {
    case 'match': {
      const entity = store.entity(resolution.match.entityId);
      if (!entity) return unknownReply(store, resolver, question, resolution.match.span, intent);
      return composeForEntity(intent ?? 'profile', {
        store,
        entity,
        match: resolution.match,
        question,
        threshold: resolver.options.threshold,
      });
    }
    case 'ambiguous': {
      // Candidates this conversation may not see are not offered (nor named).
      const candidates = resolution.candidates.filter((m) => store.entity(m.entityId));
      if (candidates.length === 0) return unknownReply(store, resolver, question, resolution.span, intent);
      if (candidates.length === 1) {
        const only = candidates[0]!;
        return composeForEntity(intent ?? 'profile', {
          store,
          entity: store.entity(only.entityId)!,
          match: only,
          question,
          threshold: resolver.options.threshold,
        });
      }
      resolution.candidates = candidates;
      const choices = resolution.candidates.map((m) => {
        const e = store.entity(m.entityId);
        return { label: e ? `${e.name} (${typeLabel(e.type)})` : m.entityName, command: questionFor(intent, m.entityName) };
      });
      return makeReply(
        'clarify',
        {
          title: 'Which one do you mean?',
          elements: [
            { kind: 'choices', prompt: `“${quoteUser(resolution.span)}” could mean ${choices.length} entities:`, choices },
            { kind: 'note', text: resolution.candidates.map((m) => m.explanation).join(' ') },
          ],
          citations: [],
        },
        resolution.candidates.flatMap((m) => {
          const e = store.entity(m.entityId);
          return e ? [{ id: e.id, name: e.name, type: e.type }] : [];
        }),
      );
    }
    case 'suggest': {
      const m = resolution.match;
      // Screening: close to a listed or designated name, but not close enough to say yes.
      const suggested = intent === 'sanctions' ? store.entity(m.entityId) : undefined;
      if (suggested && store.sanctionsOf(suggested.id).length > 0)
        return composePossibleMatch(store, suggested, m, resolver.options.threshold);
      return makeReply('clarify', {
        title: `Did you mean ${m.entityName}?`,
        elements: [
          {
            kind: 'choices',
            prompt: `I am not sure “${quoteUser(m.span)}” means ${m.entityName}.`,
            choices: [{ label: m.entityName, command: questionFor(intent, m.entityName) }],
          },
          { kind: 'note', text: `${m.explanation} That is below the confidence threshold, so I am asking rather than guessing.` },
        ],
        citations: [],
      });
    }
    case 'none':
      return unknownReply(store, resolver, question, resolution.phrase, intent);
  }
}

function unknownReply(store: FactStore, resolver: Resolver, question: string, phrase: string, intent: QuestionIntent | undefined): Reply {
  const stats = store.stats();
  const version = store.knowledgeVersion() ?? 'none loaded';
  const shown = quoteUser(phrase ? asTyped(question, phrase) : question);
  if (intent === 'sanctions') {
    const checked = listsChecked(store);
    return makeReply(
      'unknown',
      {
        title: 'No record',
        elements: [
          { kind: 'section', lines: [{ text: `I have no record of “${shown}” in the sanctions data loaded: ${checked}.`, cites: [] }] },
          {
            kind: 'note',
            text: `Checked: ${stats.sanctions} designations and ${resolver.size} names and aliases (knowledge version ${version}); no name came close enough to review. No record here does not rule out a designation elsewhere; for a definitive answer, check the official OFAC sanctions list search.`,
          },
        ],
        citations: [],
      },
      [],
      undefined,
      { outcome: 'no-record', threshold: resolver.options.threshold, checked },
    );
  }

  // No entity by that name: statements that mention the words may still help.
  const words = normalizeText(phrase || question)
    .split(' ')
    .filter((w) => w.length > 1 && !IGNORED_WORDS.has(w));
  const hits = words.length > 0 ? store.searchFacts(words, 5) : [];
  if (hits.length > 0) {
    const cites = new CitationList(store);
    const lines: Line[] = [];
    for (const h of hits) {
      if (h.kind === 'claim') {
        const c = store.claim(Number(h.ref));
        if (c) lines.push({ text: c.text, cites: cites.cite(c.sources) });
      } else if (h.kind === 'entity') {
        const e = store.entity(h.ref);
        if (e) lines.push({ text: `${e.name}: ${e.summary}`, cites: cites.cite(e.summarySources) });
      }
    }
    if (lines.length > 0) {
      return makeReply('search', {
        title: `Statements mentioning “${shown}”`,
        elements: [
          { kind: 'note', text: `I have no entity named “${shown}”, but these recorded statements mention it:` },
          { kind: 'section', lines },
        ],
        citations: cites.citations,
      });
    }
  }
  const elements: CardElement[] = [
    { kind: 'section', lines: [{ text: `I have no record of “${shown}”.`, cites: [] }] },
    {
      kind: 'note',
      text: `Checked: ${resolver.size} names and aliases of ${stats.entities} entities, and ${stats.claims} statements (knowledge version ${version}). Try “help” to see what I can answer, or ask about a named actor, company or advisory.`,
    },
  ];
  return makeReply('unknown', { title: 'No record', elements, citations: [] });
}

/** The words of `question` that normalised to `phrase`, as the user typed them. */
function asTyped(question: string, phrase: string): string {
  const pattern = phrase
    .split(' ')
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\p{L}\\p{N}]+');
  return new RegExp(pattern, 'iu').exec(question)?.[0] ?? phrase;
}
