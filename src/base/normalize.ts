/**
 * Text normalisation shared by the knowledge loader (alias uniqueness) and the resolver.
 * Normalised names are lower-case, without diacritics or punctuation, single-spaced, and
 * without trailing corporate suffixes or a leading "the".
 */

const CORPORATE_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'group',
  'holdings',
  'holding',
  // Legal forms common on sanctions lists (S.R.O., JSC, OOO…); two-letter ones that are also
  // given names or surnames ("Ao") are left out on purpose.
  'jsc',
  'ojsc',
  'pjsc',
  'cjsc',
  'ooo',
  'oao',
  'zao',
  'pao',
  'llp',
  'sro',
  'srl',
  'spa',
  'bhd',
  'sdn',
  'fze',
  'fzco',
  'fzc',
  'pte',
  'pty',
  'ltda',
  'sarl',
]);

/** Legal forms that lead a name on sanctions lists ("JSC PKK MILANDR", "LIMITED LIABILITY COMPANY …"). */
const LEADING_LEGAL_FORMS: readonly string[][] = [
  ['limited', 'liability', 'company'],
  ['public', 'joint', 'stock', 'company'],
  ['open', 'joint', 'stock', 'company'],
  ['closed', 'joint', 'stock', 'company'],
  ['joint', 'stock', 'company'],
  ['aktsionernoye', 'obshchestvo'],
  ['obshchestvo', 's', 'ogranichennoy', 'otvetstvennostyu'],
  ['jsc'],
  ['ojsc'],
  ['pjsc'],
  ['cjsc'],
  ['ooo'],
  ['oao'],
  ['zao'],
  ['pao'],
];
const LEADING_FORM_STARTS = new Set(LEADING_LEGAL_FORMS.map((f) => f[0]!));

/** A word that is a legal form or corporate suffix ("ltd", "gmbh", "jsc"), not part of what a name says. */
export function isLegalForm(word: string): boolean {
  return CORPORATE_SUFFIXES.has(word);
}

/** Removes Slack and Teams mention and formatting markup, leaving the words a person typed. */
export function stripChatMarkup(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ') // Teams mention of the bot or a person
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ') // Slack user mention
    .replace(/<!(?:channel|here|everyone)[^>]*>/g, ' ')
    .replace(/<!subteam\^[^>|]*(?:\|([^>]*))?>/g, ' ')
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => (name ? ` #${name} ` : ' '))
    .replace(/<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>/g, (_m, url: string, label: string | undefined) => label ?? url)
    .replace(/<\/?[a-z][^>]*>/gi, ' ') // stray HTML from Teams
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/(^|\s)[*_~`]+|[*_~`]+(?=\s|$|[?!.,])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower-case words without diacritics or punctuation; keeps letters of every script. */
export function normalizeText(text: string): string {
  // Most names are plain ASCII: skip Unicode decomposition and the Unicode-aware patterns,
  // which cost several times more (it matters when indexing a 100,000-name list).
  if (/^[\x20-\x7e]*$/.test(text)) {
    return text
      .toLowerCase()
      .replace(/(?<![a-z0-9])(?:[a-z]\.){2,}/g, (m) => m.replace(/\./g, ''))
      .replace(/'/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      // Dotted abbreviations are one word: "S.R.O." → "sro", "U.S." → "us".
      .replace(/(?<![\p{L}\p{N}])(?:\p{L}\.){2,}/gu, (m) => m.replace(/\./g, ''))
      .replace(/['’]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

export function normalizeName(name: string): string {
  const text = normalizeText(name);
  if (!text) return '';
  const tokens = text.split(' ');
  while (tokens.length > 1 && CORPORATE_SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  for (const form of LEADING_FORM_STARTS.has(tokens[0]!) ? LEADING_LEGAL_FORMS : []) {
    if (tokens.length > form.length && form.every((w, i) => tokens[i] === w)) {
      tokens.splice(0, form.length);
      break;
    }
  }
  return tokens.join(' ');
}

/**
 * For a name written as sanctions lists write people, "SURNAME, Given Middle", the number of
 * words of the normalised name that are the surname; 0 for any other name (companies such as
 * "ANGLO-CARIBBEAN CO., LTD." included).
 */
export function surnameWords(name: string, norm = normalizeName(name)): number {
  const comma = name.indexOf(',');
  if (comma <= 0 || name.indexOf(',', comma + 1) >= 0) return 0;
  const surname = normalizeText(name.slice(0, comma));
  const given = normalizeText(name.slice(comma + 1));
  if (!surname || !given) return 0;
  const givenWords = given.split(' ');
  if (givenWords.some((w) => CORPORATE_SUFFIXES.has(w))) return 0;
  const surnameCount = surname.split(' ').length;
  if (surnameCount > 3 || givenWords.length > 4 || `${surname} ${given}` !== norm) return 0;
  return surnameCount;
}

const VARIANT_RULES: readonly [RegExp, string][] = [
  [/dzh/g, 'j'],
  [/ks/g, 'x'],
  [/kh/g, 'h'],
  [/gh/g, 'g'],
  [/ph/g, 'f'],
  [/ck/g, 'k'],
  [/q/g, 'g'],
  [/w/g, 'v'],
  [/ou|oo/g, 'u'],
  [/ee/g, 'i'],
  [/y/g, 'i'],
  [/(.)\1+/g, '$1'],
];

/**
 * A key that common romanisation variants of a name word share: "aleksey" and "alexey",
 * "yevgeniy"/"yevgeny", "mikhail"/"mihail", "sadeq"/"sadegh", "abdoullah"/"abdullah". Words with the same key
 * are treated as one-letter typos of each other.
 */
export function variantKey(word: string): string {
  let k = word;
  for (const [re, to] of VARIANT_RULES) k = k.replace(re, to);
  return k;
}

/** Order-insensitive key: "bogachev evgeniy" and "evgeniy bogachev" share it. */
export function nameKey(normalized: string): string {
  return normalized.split(' ').sort().join(' ');
}

/** Damerau–Levenshtein (optimal string alignment) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = b.length + 1;
  let prevPrev = new Array<number>(rows).fill(0);
  let prev = Array.from({ length: rows }, (_, j) => j);
  let cur = new Array<number>(rows).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < rows; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[rows - 1]!;
}
