/** What the resolver answers: the entity a question names, how sure it is, and why. */

export type MatchMethod = 'exact' | 'word-order' | 'typo' | 'partial';

/** One word of the question paired with the word of the name it matched. */
export interface WordPair {
  query: string;
  name: string;
  /** Letters changed, added, removed or swapped (0 for the same word). */
  edits: number;
}

export interface Match {
  entityId: string;
  entityName: string;
  /** 0..1; 1 is an exact name or alias. */
  score: number;
  method: MatchMethod;
  matchedName: string;
  usedBy?: string;
  /** The name matched is a weak alias (see `NameEntry.weak`). */
  weak?: boolean;
  /** The words of the question that matched. */
  span: string;
  /** For typo and partial matches: which word matched which, and the name's words left unmatched. */
  words?: WordPair[];
  unmatched?: string[];
  /** When screening: words of the name asked about that the matched name does not have. */
  extraWords?: string[];
  /** A sentence a person can read: why this entity was chosen. */
  explanation: string;
}

export type Resolution =
  | { kind: 'match'; match: Match }
  | { kind: 'ambiguous'; candidates: Match[]; span: string }
  | { kind: 'suggest'; match: Match }
  | { kind: 'none'; phrase: string };
