/**
 * Names typed in their own script ("Владимир Путин", "معمر القذافي", "金正恩") are read in Latin
 * letters before they are matched: sanctions lists such as OFAC's are written in Latin letters.
 * any-ascii does the transliteration (docs/screening.md compares it with `transliteration`).
 *
 * Best effort, by script:
 * - Cyrillic, Greek, Armenian, Georgian: letter by letter, close to the spellings on the lists.
 * - Arabic and Hebrew: written without most vowels, so the Latin form lacks them ("khmys" for
 *   Khamis); matching compares such words by their consonants (see `skeletons`).
 * - Chinese, Japanese and Korean: Han characters are read in Mandarin pinyin, kana and hangul
 *   syllable by syllable. Hangul is respelled as the lists write Korean names (McCune–Reischauer
 *   without its marks: "김정은" is "Kim Jong Un", not any-ascii's "Gim Jeong Eun"). A Korean or
 *   Japanese name written in Han characters ("金正恩") is read as Chinese ("Jin Zheng En"), not as
 *   the list spells it ("KIM Jong Un"): type the Latin spelling.
 */
import anyAscii from 'any-ascii';

const NON_LATIN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const ABJAD = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}]/u;
const SCRIPTS = [
  'Cyrillic',
  'Greek',
  'Arabic',
  'Hebrew',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Armenian',
  'Georgian',
  'Thai',
  'Devanagari',
];

export interface Romanized {
  /** The name in Latin letters (the name itself when it was written in them). */
  text: string;
  /** Whether the name was written in another script. */
  transliterated: boolean;
  /** The scripts it was written in, by Unicode name ("Cyrillic", "Han"). */
  scripts: string[];
  /** Written (partly) in Chinese, Japanese or Korean characters: a best-effort reading. */
  cjk: boolean;
  /** Written (partly) in Arabic or Hebrew letters: short vowels are missing. */
  abjad: boolean;
}

export function romanize(name: string): Romanized {
  if (!NON_LATIN.test(name)) return { text: name, transliterated: false, scripts: [], cjk: false, abjad: false };
  // Each CJK character is a syllable: any-ascii runs them together ("JinZhengEn"), so they are read one by one.
  let text = '';
  for (const ch of name) text += HANGUL.test(ch) ? ` ${koreanSpelling(anyAscii(ch))} ` : CJK.test(ch) ? ` ${anyAscii(ch)} ` : anyAscii(ch);
  return {
    // any-ascii writes Arabic ʿayn and hamza as ` and ': marks, not word breaks.
    text: text
      .replace(/[`'ʿʾ]/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
    transliterated: true,
    scripts: SCRIPTS.filter((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(name)),
    cjk: CJK.test(name),
    abjad: ABJAD.test(name),
  };
}

/**
 * A Hangul syllable as any-ascii reads it (Revised Romanization, letter by letter: "Gim",
 * "Jeong", "Bag", "Lyong") in the spelling sanctions lists use for Korean names, McCune–Reischauer
 * without its marks ("Kim", "Jong", "Pak", "Ryong"): g, b, d, l begin a syllable as k, p, t, r;
 * g, b, d end one as k, p, t; "eo" and "eu" are "o" and "u". The lists keep "j" ("KIM Jong Un").
 */
export function koreanSpelling(syllable: string): string {
  const cased = syllable.toLowerCase();
  const initial: Record<string, string> = { g: 'k', b: 'p', d: 't', l: 'r' };
  const final: Record<string, string> = { g: 'k', b: 'p', d: 't' };
  const spelled = cased
    .replace(/^[gbdl]/, (c) => initial[c]!)
    .replace(/(?<=[aeiouy])[gbd]$/, (c) => final[c]!)
    .replace(/eo/g, 'o')
    .replace(/eu/g, 'u');
  return syllable[0] === syllable[0]?.toUpperCase() ? spelled.charAt(0).toUpperCase() + spelled.slice(1) : spelled;
}

/** Shortest skeleton compared: two consonants say too little. */
const MIN_SKELETON = 3;

/**
 * The skeletons of a word, how a word transliterated from Arabic or Hebrew (which leave most
 * vowels out) is compared with the list's spelling: its consonants ("khamis" → "khms"), and its
 * consonants with y and w, which Arabic writes ("ymn" is "ayman"). ذ and ظ come out as "dh" and
 * are often written "z" on the lists ("ldhwhry" is "al-zawahiri"), so both count as "z".
 */
export function skeletons(word: string): string[] {
  const w = word.replace(/dh/g, 'z');
  const forms = [w.replace(/[aeiouyw]/g, ''), w.replace(/[aeiou]/g, '')].map((f) => f.replace(/(.)\1+/g, '$1'));
  return [...new Set(forms)].filter((f) => f.length >= MIN_SKELETON);
}

/** A word typed in Arabic script may have the article written onto it ("lqdhfy" is "al-qadhafi"): the skeletons of both readings. */
export function typedSkeletons(word: string): string[] {
  return [...new Set([...skeletons(word), ...(word.startsWith('l') && word.length > 4 ? skeletons(word.slice(1)) : [])])];
}
