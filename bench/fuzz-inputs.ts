import { stripChatMarkup } from '../src/base/normalize.js';

/**
 * Generated chat messages for the fuzz runs (npm run fuzz, test/fuzz.test.ts): reproducible from
 * a seed, mixing real questions with hostile text — every script direction, invisible and
 * combining characters, emoji sequences, control characters, Slack and Teams markup, HTML,
 * markdown, SQL and FTS5 query syntax, unbalanced quotes — at lengths up to 20 kB.
 */

/** mulberry32: a small, fast, seedable PRNG (the runs must be reproducible). */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

export interface Random {
  /** In [0, 1). */
  next(): number;
  /** In [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** Real questions, so that fuzzed text also reaches long, cited answers. */
const QUESTIONS = [
  'who is Flax Typhoon?',
  'is Integrity Tech sanctioned?',
  'who is behind Flax Typhoon?',
  'how many devices were in the botnet?',
  'what does Volt Typhoon target?',
  'how does Flax Typhoon get in?',
  'when was Flax Typhoon first reported?',
  'advisories about Volt Typhoon',
  'latest',
  "what's new?",
  'help',
  'who is Typhoon?',
  'who is ETHEREAL PANDA?',
  'is Yongxin Zhicheng sanctioned?',
  '永信至诚 sanctioned?',
  'is Acme Widgets Ltd sanctioned?',
  'subscriptions',
  'unsubscribe 999999',
  'who is Salt Typhoon',
  'is 688244 sanctioned',
];

const NAMES = [
  'Flax Typhoon',
  'Integrity Tech',
  'Integrity Technology Group, Inc.',
  'Volt Typhoon',
  'Salt Typhoon',
  'Raptor Train',
  'ETHEREAL PANDA',
  'Storm-0919',
  'typhoon',
  'group',
  'the',
];

const RTL = [
  '\u202e',
  '\u202b',
  '\u202a',
  '\u202c',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u200f',
  '\u200e',
  'مرحبا بالعالم',
  'שלום עולם',
  'هل إنتغريتي تك خاضعة للعقوبات؟',
  'ܫܠܡܐ',
  'ހެލޯ',
];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2060', '\u00ad', '\u180e', '\u034f', '\u115f', '\u3164', '\u2800'];
const EMOJI = ['😀', '🛡️', '👩‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇨🇳', '🇺🇸', '👍🏽', '🔥', '🐉', '❤️‍🔥', '🧑🏿‍🚀', '#️⃣', '🫠', '\ud83d', '\ude00'];
const COMBINING = ['\u0301', '\u0300', '\u0308', '\u0336', '\u0489', '\u20dd', '\u0323', '\u035c', '\u0361'];
const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\u000b',
  '\f',
  '\r',
  '\u001b',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\r\n',
];
const SLACK_MARKUP = [
  '<@U0BOT>',
  '<@U0TEST|tester>',
  '<@W012ABC>',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123|@security>',
  '<#C0TEST|threat-intel>',
  '<#C0TEST>',
  '<https://evil.example/login|your bank>',
  '<mailto:a@b.example|mail>',
  '<!date^1392734382^{date_pretty}|Feb 18>',
  '&lt;',
  '&gt;',
  '&amp;',
  '&amp;lt;',
  '&#60;',
  '<',
  '>',
  '<<>>',
  '<@',
  '<!',
  '|>',
];
const TEAMS_MARKUP = [
  '<at>ThreatBrief</at>',
  '<at>Someone Else</at>',
  '<at>',
  '</at>',
  '<at>unclosed',
  '&nbsp;',
  '<p>',
  '</p>',
  '<br/>',
  '<div itemprop="x">',
  '<span style="color:red">red</span>',
];
const HTML = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<!-- comment -->',
  '<![CDATA[x]]>',
  '<svg/onload=alert(1)>',
  '&lt;script&gt;',
  '"><b>',
  "'><i>",
  '</textarea>',
];
const MARKDOWN = [
  '*bold*',
  '_italic_',
  '~strike~',
  '`code`',
  '```\nblock\n```',
  '> quote',
  '# Heading',
  '[link](https://evil.example)',
  '![img](x)',
  '| a | b |\n|---|---|',
  '***',
  '__',
  '**',
  '- item',
  '1. item',
  '\\*',
  '*',
  '_',
  '~',
  '`',
];
const SQL = [
  "'; DROP TABLE advisories; --",
  '" OR 1=1 --',
  "' OR '1'='1",
  'UNION SELECT * FROM meta',
  '%',
  '_%_',
  '\\',
  "Robert'); DELETE FROM subscriptions;--",
  '/* */',
  'NULL',
  '0x00',
  "'); PRAGMA writable_schema=1; --",
  '; VACUUM;',
];
const FTS5 = [
  '"unbalanced',
  'NEAR(flax typhoon, 3)',
  'flax AND OR NOT typhoon',
  '*',
  'typh*',
  '^flax',
  'text:flax',
  'kind:claim',
  '(',
  ')',
  '{text kind}: x',
  '-typhoon',
  '+',
  'AND',
  'OR',
  'NOT',
  '""',
  '"a" "b"',
  'fact_text MATCH',
  'rank',
  ':',
  '^',
  'NEAR/2',
];
const QUOTES = ['"', "'", '“', '”', '‘', '’', '«', '»', '„', '「', '」', '`', '"""', "''"];
const SCRIPTS = [
  'Привет мир',
  'Ελληνικά',
  'हिन्दी',
  '日本語のテキスト',
  '한국어',
  'ไทย',
  'ქართული',
  'Ⓤⓝⓘⓒⓞⓓⓔ',
  '𝕱𝖑𝖆𝖝 𝕿𝖞𝖕𝖍𝖔𝖔𝖓',
  'ｆｕｌｌｗｉｄｔｈ',
  'İıŞş',
  'ß',
  'ﬁ',
  'Å',
  'Å',
];
const WORDS = [
  'who',
  'is',
  'what',
  'sanctioned',
  'sanctions',
  'behind',
  'targets',
  'advisories',
  'about',
  'latest',
  'new',
  'how',
  'many',
  'when',
  'devices',
  'botnet',
  'help',
  'more',
  'share',
  'Typhoon',
  'China',
  'OFAC',
  'CISA',
  'the',
  'a',
  'of',
  '?',
  '!',
  '.',
  ',',
];

const CATEGORIES: readonly (readonly string[])[] = [
  QUESTIONS,
  NAMES,
  RTL,
  INVISIBLE,
  EMOJI,
  COMBINING,
  CONTROL,
  SLACK_MARKUP,
  TEAMS_MARKUP,
  HTML,
  MARKDOWN,
  SQL,
  FTS5,
  QUOTES,
  SCRIPTS,
  WORDS,
];

/** The bot treats these as subscription commands; "subscribe" with a valid schedule writes a row. */
const SUBSCRIBE = /^\/?subscribe\b/i;

/** One generated message (raw, as a person might type or paste it). */
export function generateInput(rnd: Random): string {
  const roll = rnd.next();
  let text: string;
  if (roll < 0.15) {
    // A real question with a little noise.
    text = rnd.pick(QUESTIONS);
    if (rnd.chance(0.5)) text = `${rnd.pick(rnd.pick(CATEGORIES))} ${text} ${rnd.pick(rnd.pick(CATEGORIES))}`;
  } else {
    const parts: string[] = [];
    const n = rnd.int(1, 8);
    for (let i = 0; i < n; i++) parts.push(rnd.pick(rnd.pick(CATEGORIES)));
    text = parts.join(rnd.pick([' ', '', '  ', '\n', '\t', ' \u200b ', '?', ', ']));
  }
  // Mutations.
  if (rnd.chance(0.1)) text = [...text].map((c) => c + (rnd.chance(0.3) ? rnd.pick(INVISIBLE) : '')).join('');
  if (rnd.chance(0.08)) text = [...text].map((c) => c + (rnd.chance(0.5) ? rnd.pick(COMBINING).repeat(rnd.int(1, 12)) : '')).join('');
  if (rnd.chance(0.1)) text = rnd.chance(0.5) ? text.toUpperCase() : text.toLowerCase();
  if (rnd.chance(0.05)) text = text.split('').reverse().join(''); // also splits surrogate pairs
  if (rnd.chance(0.08)) text = `${rnd.pick(QUESTIONS)} ${text}`;
  // Length: mostly short, some long, a few up to 20 kB.
  const size = rnd.next();
  if (size > 0.97) text = repeatTo(text || 'x', rnd.int(5_000, 20_000), rnd);
  else if (size > 0.9) text = repeatTo(text || 'x', rnd.int(900, 5_000), rnd);
  else if (size > 0.88) text = 'A'.repeat(rnd.int(1_000, 20_000)); // one giant token
  if (text.length > 20_000) text = text.slice(0, 20_000);
  // "subscribe <schedule>" legitimately writes a subscription; the fuzz runs prove that nothing else writes.
  return SUBSCRIBE.test(stripChatMarkup(text)) ? `about ${text}` : text;
}

function repeatTo(text: string, length: number, rnd: Random): string {
  let out = text;
  while (out.length < length) out += rnd.pick([' ', '\n', '']) + (rnd.chance(0.5) ? text : rnd.pick(rnd.pick(CATEGORIES)));
  return out.slice(0, length);
}

/** `count` inputs from `seed`; the same arguments always give the same list. */
export function generateInputs(count: number, seed = 1): string[] {
  const rnd = createRandom(seed);
  return Array.from({ length: count }, () => generateInput(rnd));
}
