import type { KnowledgeView } from '../access/knowledge-view.js';
import type { Aspect } from '../understand/aspect-phrasings.js';
import { defang } from './defang.js';
import {
  type CardElement,
  type Choice,
  type Citation,
  cardToText,
  type EntityRef,
  type Intent,
  type Line,
  type Reply,
  type Screening,
} from './reply.js';

/** One sentence of an answer and the sources that say it (source ids). */
export interface Said {
  text: string;
  sources: readonly string[];
  /**
   * The text is the bot's own wording around names and links it trusts (an advisory's title and
   * address), not fact text that may hold indicators: it is not defanged.
   */
  trusted?: boolean;
}

/**
 * An answer before rendering: the direct answer in one line, a few supporting lines, and the
 * sentences that are not facts (what was checked, what is missing). Rendering numbers the
 * sources in the order they are first used, drops repeated sentences and defangs indicators.
 */
export interface Answer {
  intent: Intent;
  aspect?: Aspect;
  /** A short title: the entity or the topic. */
  title: string;
  /** What the entity is ("Threat actor"), shown beside the title. */
  subtitle?: string;
  /** The plain text starts with the title (a digest's "ThreatBrief digest — 3 new advisories"). */
  titleInText?: boolean;
  /** The direct answer: yes/no, the name, the date, the figure, with its source. */
  headline: Said;
  support: Said[];
  /** Further facts under a heading ("Also known as"), shown after the support lines. */
  sections?: { heading: string; lines: Said[] }[];
  /** Sentences without a source: what was checked, what the bot has no record of. */
  notes?: string[];
  choices?: { prompt: string; choices: Choice[] };
  entities: EntityRef[];
  screening?: Screening;
  match?: Reply['match'];
}

/** The direct answer is one line of at most about this many characters. */
export const HEADLINE_MAX = 300;
/** Supporting lines shown under the direct answer. */
export const MAX_SUPPORT = 3;
/** Citation markers per sentence: the most authoritative sources first. */
export const MAX_MARKERS = 2;

/** Source kinds in order of authority, for choosing which sources a sentence shows. */
const KIND_ORDER = ['government', 'dataset', 'vendor', 'research', 'press'];

export function render(answer: Answer, view: KnowledgeView): Reply {
  const numbering = new Map<string, number>();
  const citations: Citation[] = [];
  const seen = new Set<string>();
  const cite = (sources: readonly string[]): number[] => {
    const out: number[] = [];
    for (const id of bestSources(view, sources)) {
      let n = numbering.get(id);
      if (n === undefined) {
        const s = view.source(id)!;
        const c: Citation = { sourceId: s.id, title: s.title, publisher: s.publisher };
        if (s.url) c.url = s.url;
        if (s.date) c.date = s.date;
        citations.push(c);
        n = citations.length;
        numbering.set(id, n);
      }
      out.push(n);
    }
    // The most authoritative sources were chosen; they are shown in the order they were numbered.
    return out.sort((a, b) => a - b);
  };
  const line = (said: Said): Line | undefined => {
    const text = said.trusted ? said.text.trim() : defang(said.text.trim());
    const key = text.toLowerCase().replace(/\W+/g, ' ');
    if (!text || seen.has(key)) return undefined;
    seen.add(key);
    return { text, cites: cite(said.sources) };
  };
  const lines = (list: readonly Said[]) => list.map(line).filter((l): l is Line => l !== undefined);

  const elements: CardElement[] = [];
  // A direct answer longer than a headline may be: its first clauses lead, the whole sentence follows.
  const long = headlineOf(answer.headline.text).length > HEADLINE_MAX;
  const lead = line(
    long ? { ...answer.headline, text: leadOf(answer.headline.text) } : { ...answer.headline, text: headlineOf(answer.headline.text) },
  );
  if (lead) elements.push({ kind: 'lead', line: lead });
  const support = lines(long ? [answer.headline, ...answer.support] : answer.support);
  if (support.length > 0) elements.push({ kind: 'section', lines: support });
  if (answer.choices) elements.push({ kind: 'choices', prompt: answer.choices.prompt, choices: answer.choices.choices });
  for (const s of answer.sections ?? []) {
    const shown = lines(s.lines);
    if (shown.length > 0) elements.push({ kind: 'section', heading: s.heading, lines: shown });
  }
  for (const n of answer.notes ?? []) if (!seen.has(n)) elements.push({ kind: 'note', text: n });
  const card = { title: answer.title, ...(answer.subtitle ? { subtitle: answer.subtitle } : {}), elements, citations };
  const reply: Reply = {
    intent: answer.intent,
    text: cardToText(card, { title: answer.titleInText === true }),
    card,
    citations,
    entities: answer.entities,
  };
  if (answer.aspect) reply.aspect = answer.aspect;
  if (answer.screening) reply.screening = answer.screening;
  if (answer.match) reply.match = answer.match;
  return reply;
}

/** Up to MAX_MARKERS of a sentence's sources, the most authoritative first (known sources only). */
function bestSources(view: KnowledgeView, sources: readonly string[]): string[] {
  const known = [...new Set(sources)].filter((id) => view.source(id));
  const rank = (id: string) => {
    const s = view.source(id)!;
    const kind = KIND_ORDER.indexOf(s.kind);
    return (s.reliability === 'A' ? 0 : 10) + (kind < 0 ? KIND_ORDER.length : kind);
  };
  return known
    .map((id, i) => ({ id, i }))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i)
    .slice(0, MAX_MARKERS)
    .map((x) => x.id);
}

/** The clauses of a long sentence that fit a headline, marked as cut. */
function leadOf(text: string): string {
  const cut = text.slice(0, HEADLINE_MAX);
  const at = Math.max(cut.lastIndexOf(', '), cut.lastIndexOf('; '));
  return `${(at > HEADLINE_MAX / 2 ? cut.slice(0, at) : cut.slice(0, cut.lastIndexOf(' '))).trim()} …`;
}

/** The first sentence of a text, when the text is longer than a headline may be. */
export function headlineOf(text: string): string {
  if (text.length <= HEADLINE_MAX) return text;
  const first = /^.+?[.!?](?=\s+\p{Lu}|$)/u.exec(text)?.[0];
  return first && first.length <= HEADLINE_MAX ? first : text;
}
