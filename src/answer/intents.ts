import type { Intent } from './reply.js';

export type QuestionIntent = Exclude<
  Intent,
  'search' | 'clarify' | 'unknown' | 'too-long' | 'empty' | 'error' | 'digest' | 'subscribe' | 'denied' | 'rate-limited'
>;

/**
 * Ordered: the first rule whose pattern matches decides. Sanctions come before relations and
 * dates ("when was X sanctioned?"), counts before targets ("how many devices did X compromise?").
 * Patterns run on lower-cased text with punctuation turned into spaces.
 */
const RULES: readonly { intent: QuestionIntent; pattern: RegExp }[] = [
  { intent: 'help', pattern: /^(help|commands|usage|what can you do|how do i use (this|you)|what do you know)$/ },
  {
    intent: 'latest',
    pattern:
      /^(latest|news|recent|updates?|what s new|whats new|what is new|anything new|latest advisories|recent advisories|new advisories|advisories|latest news|what s the latest|whats the latest|what is the latest)$/,
  },
  {
    intent: 'advisories',
    pattern: /\b(advisor(y|ies)|alerts?|bulletins?|reports?|press releases?)\b.*\b(about|on|for|mentioning|regarding|concerning|of)\b/,
  },
  {
    intent: 'sanctions',
    pattern: /\bsanction(s|ed|ing)?\b|\bdesignat(ed|ion|ions)\b|\bsdn\b|\bblacklist(ed)?\b|\bembargo(ed)?\b|\bblocked\b/,
  },
  { intent: 'count', pattern: /\bhow (many|big|large)\b|\bnumber of\b|\bsize of\b|\bhow much\b|\bfigures?\b|\bstatistics\b/ },
  {
    intent: 'dates',
    pattern: /\bwhen\b|\bfirst (reported|seen|identified|discovered|spotted|named)\b|\bactive since\b|\bsince when\b|\bhow long\b/,
  },
  {
    intent: 'access',
    pattern:
      /\bhow do(es)?\b.*\b(get in|break in|gain access|hack|attack|operate|work|get access|compromise)\b|\binitial access\b|\bttps?\b|\btechniques?\b|\btools?\b|\btooling\b|\btradecraft\b|\bmethods?\b|\bmalware\b/,
  },
  {
    intent: 'targets',
    pattern:
      /\btarget(s|ed|ing)?\b|\bvictims?\b|\bsectors?\b|\bindustr(y|ies)\b|\bwho does\b.*\b(attack|hit)\b|\bwhat does\b.*\b(attack|hit)\b|\bwhere does\b|\bregions?\b|\bcountries\b/,
  },
  {
    intent: 'relations',
    pattern:
      /\blinked\b|\blinks?\b|\btied\b|\bties\b|\bconnect(ed|ion|ions)?\b|\bassociated\b|\baffiliated\b|\brelated\b|\brelationships?\b|\bbehind\b|\bworks? for\b|\bwho (runs|ran|operates|operated|controls|controlled|accused)\b|\baccus(ed|es|ation|ations)\b|\battributed\b|\bresponsible\b/,
  },
  { intent: 'profile', pattern: /^(who|what)\b|\btell me about\b|\binfo\b|\bprofile\b|\bdescribe\b|\bexplain\b|\bsummary\b/ },
];

export function questionWords(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The intent of a question, or undefined when no rule applies (a bare name, or gibberish). */
export function classify(question: string): QuestionIntent | undefined {
  const words = questionWords(question);
  for (const rule of RULES) if (rule.pattern.test(words)) return rule.intent;
  return undefined;
}
