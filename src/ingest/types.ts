/**
 * What a feed parser produces: the records of one file (or folder) in a neutral shape, ready
 * for the writer (write.ts) to apply in one transaction. Parsers are pure: text in, records or
 * a list of precise problems out; they never touch the store.
 */
import type { Tlp } from '../base/tlp.js';
import type { Predicate } from '../model/schema.js';
import type { ListEntry } from '../store/fact-store.js';

export const FEED_FORMATS = ['stix', 'cisa-kev', 'ofac-sdn', 'ofac-alt', 'ofac-add', 'mstic', 'misp-galaxy'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** One problem in an import file, printed as `file: where: problem`. */
export interface ImportProblem {
  file: string;
  /** "line 12", "objects[3] (intrusion-set--…)", "vulnerabilities[7] (CVE-2024-3400).dueDate"; empty for the whole file. */
  where: string;
  message: string;
}

export function formatImportProblem(p: ImportProblem): string {
  return p.where ? `${p.file}: ${p.where}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Another record of the same feed (by key), or an entity already in the store (by id). */
export type FeedRef = { record: string } | { entityId: string };

export interface FeedAlias {
  name: string;
  kind: string;
  usedBy?: string;
  weak?: boolean;
}

export interface FeedClaim {
  predicate: Predicate;
  text: string;
  /** The related entity, for relations. */
  object?: FeedRef;
  /** Keep the statement (without its object) when the object is not in the store. */
  keepWithoutObject?: boolean;
  date?: string;
  /** Leave this claim out when the record attaches to a curated entity (it would repeat the curated text). */
  notOnCurated?: boolean;
  /** Only when the record attaches to an entity already known (for a new entity the summary says it). */
  onlyWhenAttached?: boolean;
}

export interface FeedEntity {
  /** The id to create when no existing entity is the same thing. */
  id: string;
  type: string;
  name: string;
  summary: string;
  /**
   * Identifiers that name exactly one thing (an ATT&CK id, a CVE id): an existing entity with
   * one of them as id, name or alias is this one, and the record attaches to it.
   */
  identifiers?: string[];
  /** Names that make an existing entity this one when exactly one entity of `attachTypes` carries one. */
  matchNames?: string[];
  attachTypes?: string[];
}

export interface FeedSanction {
  id: string;
  designatedBy: string;
  date: string;
  authority: string;
  program?: string;
  reason: string;
  referenceTitle: string;
  referenceUrl?: string;
  list: ListEntry;
}

export interface FeedAdvisory {
  id: string;
  title: string;
  publisher: string;
  published: string;
  url?: string;
  summary: string;
  entities: FeedRef[];
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  vendor?: string;
  product?: string;
}

/** What ATT&CK says of one of its objects beyond entity, aliases and claims (the attack_objects table). */
export interface FeedAttack {
  /** G1017, S0001, T1059.001, M1026, C0001, TA0001. */
  id: string;
  kind: 'group' | 'software' | 'technique' | 'mitigation' | 'campaign' | 'tactic';
  name: string;
  /** The object's page on attack.mitre.org. */
  url?: string;
  /** A technique's tactics, by name ("Initial Access"), in ATT&CK's order. */
  tactics?: string[];
  status: 'current' | 'revoked' | 'deprecated';
  /** A revoked object's replacement: its ATT&CK id, name and record. */
  replacedBy?: { id: string; name: string; record: string };
}

export interface FeedRecord {
  /** Stable across files and editions: 'stix:intrusion-set--…', 'kev:CVE-2024-3400', 'ofac-sdn:21324'. */
  key: string;
  /** Changes when the record's content does (STIX `modified`, else a content hash). */
  version: string;
  /** How the record is named in messages. */
  label: string;
  entity?: FeedEntity;
  /** For records without an entity of their own (relationships): whose aliases and claims these are. */
  subject?: FeedRef;
  /** Why the record is skipped when its subject is in neither the file nor the store (default: a dangling reference). */
  absentSubject?: string;
  aliases: FeedAlias[];
  claims: FeedClaim[];
  sanction?: FeedSanction;
  advisory?: FeedAdvisory;
  /** TLP marking of everything the record writes (CLEAR when absent). */
  tlp?: Tlp;
  attack?: FeedAttack;
  /** The page the record's statements come from (an ATT&CK object's page): they cite it rather than the whole file. */
  citation?: { title: string; url: string };
}

export interface SkippedItem {
  what: string;
  reason: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  /** The file or folder as given. */
  file: string;
  sha256: string;
  publisher: string;
  title: string;
  /** The edition or release date: YYYY, YYYY-MM or YYYY-MM-DD. */
  edition?: string;
  url?: string;
  /** Imports with the same list key replace each other (a newer edition of a list). */
  listKey?: string;
  records: FeedRecord[];
  /** Items of the file that are deliberately not imported, with why. */
  skipped: SkippedItem[];
  /** Keys of records the file withdraws (revoked or deprecated): removed if imported before. */
  withdrawn: string[];
  /** Things the person importing should know (an edition date that was guessed, say). */
  notes?: string[];
}

export type ParseResult = { ok: true; feed: ParsedFeed } | { ok: false; problems: ImportProblem[] };

/** A file's contents as read from disk. */
export interface FeedFile {
  /** As shown in messages (the path the user typed, or a path under the folder they typed). */
  display: string;
  text: string;
  /** Last-modified time, for an edition date of last resort. */
  mtime?: Date;
  /** Its edition (YYYY-MM-DD) when known from outside its name and content: a download's Last-Modified. */
  edition?: string;
  /** For an OFAC list file, which list it is when known from outside (the feed part it was downloaded as). */
  ofacList?: 'sdn' | 'consolidated';
}
