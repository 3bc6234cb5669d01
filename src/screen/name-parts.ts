/**
 * A name as screening compares it: its words, which of them are legal forms ("CO.", "LTD",
 * "JSC") or particles ("AL", "DE"), and for a person listed as "SURNAME, Given Middle" which
 * words are the surname and which the given names. Apostrophes join ("Qur'an" is "quran"),
 * hyphens and other punctuation separate ("AL-ZAWAHIRI" is "al zawahiri"), dotted abbreviations
 * are one word ("S.R.O." is "sro").
 */
import { isLegalForm, normalizeText, variantKey } from '../base/normalize.js';

/** Words of legal forms beyond the corporate suffixes the rest of the bot knows (multi-word forms such as "joint stock company"). */
const MORE_LEGAL_FORMS = new Set(
  'joint stock open closed public private liability limited company companies ltda sas sa de cv ag kg kk bv nv oy ab tov pvt sdn fzllc lc cia y'.split(
    ' ',
  ),
);
/** Words that are legal forms only beside another legal form ("de" in "S.A. de C.V.", "y" in "y Cia"). */
const ONLY_BESIDE_LEGAL = new Set(['de', 'y', 'open', 'closed', 'public', 'private', 'joint', 'stock', 'liability']);

/**
 * Corporate suffixes that name a group of companies rather than a legal form: left aside when
 * scores are counted like the others, but a word of the name when one word alone is typed
 * ("Katerji" is not KATERJI GROUP COMPANY: a group is another party than a company of its name).
 */
export const GROUP_WORDS: ReadonlySet<string> = new Set(['group', 'holding', 'holdings']);

/** Particles of names (Arabic, Spanish, Dutch…): they count for little, and a name without them is the same name. */
const PARTICLES = new Set(
  'al el ul ad as ash at az ar an bin ibn ben bint de del della la le da di do dos das van von der den du the of and'.split(' '),
);

export interface NameWord {
  text: string;
  /** The key its romanisation variants share (`spellingKey`). */
  spelling: string;
  legal: boolean;
  particle: boolean;
  /** For a person listed as "SURNAME, Given": 0 for the surname's words; 1, 2… for the given names in order. */
  position: number;
}

export interface NameParts {
  words: NameWord[];
  /** Listed as "SURNAME, Given …". */
  structured: boolean;
  /** All the words run together: "JSCARGUMENT", "JSC ARGUMENT" and "JSC-ARGUMENT" share it. */
  key: string;
  /** The words in alphabetical order: names with the same words in any order share it. */
  bag: string;
}

/** The key romanisation variants share: the rest of the bot's ("aleksey"/"alexey") and Russian ё and е ("fyodorov"/"fedorov", "yevgeniy"/"evgeniy"). */
export function spellingKey(word: string): string {
  return variantKey(word.replace(/yo/g, 'e').replace(/^ye/, 'e'));
}

function words(text: string): string[] {
  const t = normalizeText(text);
  return t ? t.split(' ') : [];
}

function legalFlags(ws: readonly string[]): boolean[] {
  const strong = ws.map((w) => isLegalForm(w) || (MORE_LEGAL_FORMS.has(w) && !ONLY_BESIDE_LEGAL.has(w)));
  // "de", "open", "joint"… are legal forms only next to one ("S.A. DE C.V.", "OPEN JOINT STOCK COMPANY").
  const flags = [...strong];
  for (let pass = 0; pass < 3; pass++)
    for (let i = 0; i < ws.length; i++)
      if (!flags[i] && ONLY_BESIDE_LEGAL.has(ws[i]!) && (flags[i - 1] || flags[i + 1]) && ws.length > 1) flags[i] = true;
  // A name made only of legal-form words ("COMPANY") is a name.
  return flags.every(Boolean) ? ws.map(() => false) : flags;
}

/**
 * Splits a name into words. `person` names written "SURNAME, Given Middle" keep which words are
 * the surname; any other name (a company, a vessel, a person typed in a question) is a bag of words.
 */
export function nameParts(name: string, person = false): NameParts {
  const comma = person ? name.indexOf(',') : -1;
  const surname = comma > 0 ? words(name.slice(0, comma)) : [];
  const given = comma > 0 ? words(name.slice(comma + 1)) : words(name);
  const all = [...surname, ...given];
  const legal = legalFlags(all);
  const out: NameWord[] = all.map((text, i) => ({
    text,
    spelling: spellingKey(text),
    legal: legal[i]!,
    particle: !legal[i] && PARTICLES.has(text) && all.length > 1,
    position: comma > 0 ? (i < surname.length ? 0 : i - surname.length + 1) : -1,
  }));
  return {
    words: out,
    structured: comma > 0 && surname.length > 0 && given.length > 0,
    key: all.join(''),
    bag: [...all].sort().join(' '),
  };
}
