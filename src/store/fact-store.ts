import { LruCache } from '../base/lru.js';
import { parseTlp, TLP_LEVELS, type Tlp, tlpAllows } from '../base/tlp.js';
import type { KnowledgeBase, Predicate } from '../model/schema.js';
import { type NameEntry, type NameTable, nameIndexIsCurrent, reindexNames, StoreNameTable } from './name-index.js';
import type { Db } from './open.js';

export interface SourceRecord {
  id: string;
  publisher: string;
  title: string;
  url?: string;
  date?: string;
  kind: string;
  reliability: string;
}

export interface EntityRecord {
  id: string;
  type: string;
  name: string;
  summary: string;
  summarySources: string[];
  /** TLP marking of the entity itself; CLEAR when absent. */
  tlp?: Tlp;
}

export interface AliasRecord {
  name: string;
  kind: string;
  usedBy?: string;
  /** A weak alias (OFAC's "weak AKA"): shown, but scored lower when matching. */
  weak?: boolean;
  /** Sources that give this name. */
  sources?: string[];
}

export interface Quantity {
  value: number;
  qualifier?: string;
  unit: string;
  as_of?: string;
}

export interface ClaimRecord {
  id: number;
  entityId: string;
  predicate: Predicate;
  text: string;
  objectId?: string;
  quantity?: Quantity;
  date?: string;
  sources: string[];
  tlp?: Tlp;
}

/** An ATT&CK object: its id, kind, page and tactics; a withdrawn one's replacement (attack_objects). */
export interface AttackObject {
  attackId: string;
  kind: 'group' | 'software' | 'technique' | 'mitigation' | 'campaign' | 'tactic';
  name: string;
  /** The entity of a current object; absent for a withdrawn one. */
  entityId?: string;
  url?: string;
  tactics: string[];
  status: 'current' | 'revoked' | 'deprecated';
  replacedBy?: { attackId: string; name: string; entityId?: string };
}

function toAttack(r: Row): AttackObject {
  const a: AttackObject = {
    attackId: String(r.attack_id),
    kind: r.kind as AttackObject['kind'],
    name: String(r.name),
    tactics: JSON.parse(String(r.tactics)) as string[],
    status: r.status as AttackObject['status'],
  };
  if (r.entity_id) a.entityId = String(r.entity_id);
  if (r.url) a.url = String(r.url);
  if (r.replaced_by)
    a.replacedBy = {
      attackId: String(r.replaced_by),
      name: String(r.replaced_by_name),
      ...(r.replaced_by_entity ? { entityId: String(r.replaced_by_entity) } : {}),
    };
  return a;
}

export interface SanctionRecord {
  id: string;
  targetId: string;
  designatedBy: string;
  date: string;
  /** Legal authority; absent when the sources don't state it. */
  authority?: string;
  program?: string;
  status: 'active' | 'delisted';
  /** When a newer edition of its list left the entry out. */
  delistedOn?: string;
  reason: string;
  effects: string[];
  referenceTitle: string;
  referenceUrl?: string;
  sources: string[];
  /** Entities the designation is about besides its target (see the knowledge schema). */
  concerning?: string[];
  /** For an entry of an imported sanctions list: the list, its edition and the entry. */
  list?: ListEntry;
  tlp?: Tlp;
}

/** Where a designation sits on an imported sanctions list (OFAC SDN and the like). */
export interface ListEntry {
  /** e.g. "OFAC Specially Designated Nationals and Blocked Persons List (SDN)". */
  name: string;
  /** The edition (date) of the list the entry comes from: YYYY, YYYY-MM or YYYY-MM-DD. */
  edition: string;
  programs: string[];
  /** The entry's number on the list (OFAC ent_num). */
  entry?: string;
  /** The name exactly as listed. */
  listedName: string;
}

/** A sanctions list loaded by import, and how many entries it holds. */
export interface LoadedList {
  name: string;
  edition: string;
  entries: number;
}

/** One run of `threatbrief import`, with its provenance. */
export interface ImportRecord {
  id: string;
  format: string;
  file: string;
  publisher: string;
  title: string;
  edition?: string;
  importedAt: string;
  counts: Record<string, number>;
  status: string;
}

export interface AdvisoryRecord {
  id: string;
  seq: number;
  title: string;
  publisher: string;
  published: string;
  url?: string;
  summary: string;
  entities: string[];
  severity: string;
  sources: string[];
  /** TLP marking; CLEAR when absent. */
  tlp?: Tlp;
  /** The vendor and product it concerns (KEV entries), for subscriptions that filter on them. */
  vendor?: string;
  product?: string;
}

/** An advisory as it comes in, before the store gives it a sequence number. */
export type NewAdvisory = Omit<AdvisoryRecord, 'seq'>;

/** An advisory's columns from `title` to `tlp`, in table order: one list for both engines' inserts and updates. */
export type AdvisoryFields = readonly [string, string, string, string | null, string, string, string, string, string];

export function advisoryFields(a: Omit<NewAdvisory, 'id' | 'tlp'> & { tlp?: string }): AdvisoryFields {
  return [
    a.title,
    a.publisher,
    a.published,
    a.url ?? null,
    a.summary,
    JSON.stringify(a.entities),
    a.severity,
    JSON.stringify(a.sources),
    a.tlp ?? 'CLEAR',
  ];
}

export interface StoreStats {
  entities: number;
  names: number;
  claims: number;
  sanctions: number;
  advisories: number;
  sources: number;
}

type Row = Record<string, unknown>;

const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const json = <T>(v: unknown): T => JSON.parse(String(v)) as T;

function tlpOf(r: Row): Tlp | undefined {
  return r.tlp && r.tlp !== 'CLEAR' ? (r.tlp as Tlp) : undefined;
}

function toClaim(r: Row): ClaimRecord {
  const c: ClaimRecord = {
    id: Number(r.id),
    entityId: String(r.entity_id),
    predicate: r.predicate as Predicate,
    text: String(r.text),
    sources: json<string[]>(r.sources),
  };
  if (r.object_id) c.objectId = String(r.object_id);
  if (r.quantity) c.quantity = json<Quantity>(r.quantity);
  if (r.date) c.date = String(r.date);
  const tlp = tlpOf(r);
  if (tlp) c.tlp = tlp;
  return c;
}

function toSanction(r: Row): SanctionRecord {
  const s: SanctionRecord = {
    id: String(r.id),
    targetId: String(r.target_id),
    designatedBy: String(r.designated_by),
    date: String(r.date),
    status: r.status === 'delisted' ? 'delisted' : 'active',
    reason: String(r.reason),
    effects: json<string[]>(r.effects),
    referenceTitle: String(r.reference_title),
    sources: json<string[]>(r.sources),
  };
  if (r.authority) s.authority = String(r.authority);
  if (r.program) s.program = String(r.program);
  if (r.delisted_on) s.delistedOn = String(r.delisted_on);
  const concerning = r.concerning ? json<string[]>(r.concerning) : [];
  if (concerning.length > 0) s.concerning = concerning;
  if (r.reference_url) s.referenceUrl = String(r.reference_url);
  const tlp = tlpOf(r);
  if (tlp) s.tlp = tlp;
  if (r.list_name) {
    s.list = {
      name: String(r.list_name),
      edition: String(r.edition ?? ''),
      programs: r.programs ? json<string[]>(r.programs) : [],
      listedName: String(r.listed_name ?? ''),
    };
    if (r.list_entry) s.list.entry = String(r.list_entry);
  }
  return s;
}

function toAdvisory(r: Row): AdvisoryRecord {
  const a: AdvisoryRecord = {
    id: String(r.id),
    seq: Number(r.seq),
    title: String(r.title),
    publisher: String(r.publisher),
    published: String(r.published),
    summary: String(r.summary),
    entities: json<string[]>(r.entities),
    severity: String(r.severity),
    sources: json<string[]>(r.sources),
  };
  if (r.url) a.url = String(r.url);
  const tlp = tlpOf(r);
  if (tlp) a.tlp = tlp;
  if (r.vendor) a.vendor = String(r.vendor);
  if (r.product) a.product = String(r.product);
  return a;
}

/**
 * Memoised reads kept per connection: an answer reads a few dozen (an entity, its claims, each
 * citation's source), so this holds the rows of the last few hundred answers.
 */
export const READ_CACHE_ENTRIES = 5_000;

/**
 * Reads and writes the fact store. All reads are prepared once; nothing a user typed is ever
 * interpolated into SQL, and full-text queries go through `ftsQuery`, which quotes every term.
 */
export class FactStore {
  private readonly q;
  /**
   * Reads are memoised: answers read the same few rows many times (an entity's claims for
   * each relation, each citation's source). The cache is dropped when this connection writes
   * and when `PRAGMA data_version` shows that another connection (an import) committed, and
   * holds the most recently used `READ_CACHE_ENTRIES` reads at most.
   */
  private readonly cache: LruCache<string, unknown>;
  private dataVersion = -1;

  constructor(
    readonly db: Db,
    { readCacheEntries = READ_CACHE_ENTRIES }: { readCacheEntries?: number } = {},
  ) {
    this.cache = new LruCache(readCacheEntries);
    this.q = {
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      entity: db.prepare('SELECT * FROM entities WHERE id = ?'),
      aliases: db.prepare('SELECT name, kind, used_by, weak, sources FROM aliases WHERE entity_id = ? ORDER BY weak, rowid'),
      names: db.prepare(
        `SELECT e.id AS entity_id, e.name AS entity_name, e.name AS name, NULL AS used_by, 1 AS canonical, 0 AS weak FROM entities e
         UNION ALL
         SELECT a.entity_id, e.name, a.name, a.used_by, 0, a.weak FROM aliases a JOIN entities e ON e.id = a.entity_id`,
      ),
      claims: db.prepare('SELECT * FROM claims WHERE entity_id = ? ORDER BY id'),
      claimsAbout: db.prepare('SELECT * FROM claims WHERE object_id = ? ORDER BY id'),
      sanctionsOf: db.prepare('SELECT * FROM sanctions WHERE target_id = ? ORDER BY list_name IS NOT NULL, date DESC'),
      sanctionsConcerning: db.prepare(
        'SELECT s.* FROM sanctions s WHERE EXISTS (SELECT 1 FROM json_each(s.concerning) j WHERE j.value = ?) ORDER BY s.date, s.id',
      ),
      designatedTogether: db.prepare('SELECT * FROM sanctions WHERE designated_by = ? AND date = ? AND list_name IS NULL ORDER BY id'),
      lists: db.prepare(
        `SELECT list_name, edition, count(*) AS entries FROM sanctions WHERE list_name IS NOT NULL AND status = 'active'
         GROUP BY list_name, edition ORDER BY list_name, edition DESC`,
      ),
      curatedSanctions: db.prepare('SELECT count(*) FROM sanctions WHERE list_name IS NULL').pluck(),
      listedTargets: db.prepare('SELECT DISTINCT target_id, tlp FROM sanctions WHERE list_name IS NOT NULL'),
      source: db.prepare('SELECT * FROM sources WHERE id = ?'),
      // Prepared once: an import adds an advisory per KEV entry (1,400 of them on a first start).
      advisorySeq: db.prepare('SELECT seq FROM advisories WHERE id = ?').pluck(),
      insertAdvisory: db.prepare(
        'INSERT INTO advisories (id, seq, title, publisher, published, url, summary, entities, severity, sources, tlp, origin, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      advisoryProduct: db.prepare('UPDATE advisories SET vendor = ?, product = ? WHERE id = ?'),
      advisoryText: db.prepare("INSERT INTO fact_text (text, kind, ref) VALUES (?, 'advisory', ?)"),
      latest: db.prepare('SELECT * FROM advisories ORDER BY published DESC, seq DESC LIMIT ?'),
      advisoriesAbout: db.prepare(
        `SELECT a.* FROM advisories a WHERE EXISTS (SELECT 1 FROM json_each(a.entities) j WHERE j.value = ?)
         ORDER BY a.published DESC, a.seq DESC LIMIT ?`,
      ),
      search: db.prepare('SELECT kind, ref FROM fact_text WHERE fact_text MATCH ? ORDER BY rank LIMIT ?'),
      claim: db.prepare('SELECT * FROM claims WHERE id = ?'),
      stats: db.prepare(
        `SELECT (SELECT count(*) FROM entities) AS entities,
                (SELECT count(*) FROM entities) + (SELECT count(*) FROM aliases) AS names,
                (SELECT count(*) FROM claims) AS claims,
                (SELECT count(*) FROM sanctions) AS sanctions,
                (SELECT count(*) FROM advisories) AS advisories,
                (SELECT count(*) FROM sources) AS sources`,
      ),
    };
  }

  /** Drops cached reads if another process changed the store; call once per answer. */
  syncCache(): void {
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (v !== this.dataVersion) {
      this.cache.clear();
      this.dataVersion = v;
    }
  }

  private cached<T>(key: string, read: () => T): T {
    return this.cache.getOrSet(key, read) as T;
  }

  /** How many reads are memoised now (at most `READ_CACHE_ENTRIES`). */
  get cachedReads(): number {
    return this.cache.size;
  }

  getMeta(key: string): string | undefined {
    return opt(this.q.meta.get(key));
  }

  setMeta(key: string, value: string): void {
    this.cache.clear();
    this.q.setMeta.run(key, value);
  }

  entity(id: string): EntityRecord | undefined {
    return this.cached(`entity:${id}`, () => {
      const r = this.q.entity.get(id) as Row | undefined;
      if (!r) return undefined;
      const e: EntityRecord = {
        id: String(r.id),
        type: String(r.type),
        name: String(r.name),
        summary: String(r.summary),
        summarySources: json<string[]>(r.summary_sources),
      };
      const tlp = tlpOf(r);
      if (tlp) e.tlp = tlp;
      return e;
    });
  }

  aliases(entityId: string): AliasRecord[] {
    return this.cached(`aliases:${entityId}`, () => {
      return (this.q.aliases.all(entityId) as Row[]).map((r) => {
        const a: AliasRecord = { name: String(r.name), kind: String(r.kind) };
        if (r.used_by) a.usedBy = String(r.used_by);
        if (r.weak === 1) a.weak = true;
        const sources = r.sources ? json<string[]>(r.sources) : [];
        if (sources.length > 0) a.sources = sources;
        return a;
      });
    });
  }

  /** Every canonical name and alias, for the resolver. */
  nameEntries(): NameEntry[] {
    return (this.q.names.all() as Row[]).map((r) => {
      const e: NameEntry = {
        entityId: String(r.entity_id),
        entityName: String(r.entity_name),
        name: String(r.name),
        canonical: r.canonical === 1,
      };
      if (r.used_by) e.usedBy = String(r.used_by);
      if (r.weak === 1) e.weak = true;
      return e;
    });
  }

  /**
   * The persisted, normalised name index for the resolver (see name-index.ts); rebuilt first
   * if this store's index predates the current normalisation.
   */
  nameTable(): NameTable {
    if (!nameIndexIsCurrent(this.db)) {
      this.cache.clear();
      this.db.transaction(() => reindexNames(this.db)).immediate();
    }
    return new StoreNameTable(this.db);
  }

  /** Re-indexes the names of these entities (all when omitted); call inside the writing transaction. */
  reindexNames(entityIds?: Iterable<string>): void {
    this.cache.clear();
    reindexNames(this.db, entityIds);
  }

  /** The entities with an entry on an imported list, with the entry's marking: what screening compares names with. */
  listedTargets(): { targetId: string; tlp: Tlp }[] {
    return this.cached('listed-targets', () =>
      (this.q.listedTargets.all() as Row[]).map((r) => ({ targetId: String(r.target_id), tlp: parseTlp(String(r.tlp)) ?? 'RED' })),
    );
  }

  /** The sanctions lists loaded by import, each with its edition and number of entries. */
  loadedLists(): LoadedList[] {
    return this.cached('lists', () =>
      (this.q.lists.all() as Row[]).map((r) => ({
        name: String(r.list_name),
        edition: String(r.edition ?? ''),
        entries: Number(r.entries),
      })),
    );
  }

  /** How many designations came from the curated knowledge (not from a list import). */
  curatedDesignations(): number {
    return this.cached('curated-sanctions', () => this.q.curatedSanctions.get() as number);
  }

  /** Every import, newest first. */
  imports(): ImportRecord[] {
    return (this.db.prepare('SELECT * FROM imports ORDER BY imported_at DESC, rowid DESC').all() as Row[]).map((r) => {
      const i: ImportRecord = {
        id: String(r.id),
        format: String(r.format),
        file: String(r.file),
        publisher: String(r.publisher),
        title: String(r.title),
        importedAt: String(r.imported_at),
        counts: json<Record<string, number>>(r.counts),
        status: String(r.status),
      };
      if (r.edition) i.edition = String(r.edition);
      return i;
    });
  }

  claims(entityId: string): ClaimRecord[] {
    return this.cached(`claims:${entityId}`, () => {
      return (this.q.claims.all(entityId) as Row[]).map(toClaim);
    });
  }

  /** Claims of other entities whose object is this one (the other side of a relation). */
  claimsAbout(entityId: string): ClaimRecord[] {
    return this.cached(`about:${entityId}`, () => {
      return (this.q.claimsAbout.all(entityId) as Row[]).map(toClaim);
    });
  }

  claim(id: number): ClaimRecord | undefined {
    const r = this.q.claim.get(id) as Row | undefined;
    return r ? toClaim(r) : undefined;
  }

  sanctionsOf(entityId: string): SanctionRecord[] {
    return this.cached(`sanctions:${entityId}`, () => {
      return (this.q.sanctionsOf.all(entityId) as Row[]).map(toSanction);
    });
  }

  /** Designations whose `concerning` list holds this entity (Sichuan Juxinhe's, for Salt Typhoon). */
  sanctionsConcerning(entityId: string): SanctionRecord[] {
    return this.cached(`concerning:${entityId}`, () => (this.q.sanctionsConcerning.all(entityId) as Row[]).map(toSanction));
  }

  /** Sources whose URL, without scheme, "www." and trailing slashes, is `key` (see urlKey). */
  sourcesWithUrl(key: string): string[] {
    return this.db
      .prepare(
        "SELECT id FROM sources WHERE lower(rtrim(replace(replace(replace(url, 'https://', ''), 'http://', ''), 'www.', ''), '/')) = ?",
      )
      .pluck()
      .all(key) as string[];
  }

  /** Advisories whose URL, compared as in `sourcesWithUrl`, is `key`. */
  advisoriesAt(key: string): AdvisoryRecord[] {
    return (
      this.db
        .prepare(
          "SELECT * FROM advisories WHERE lower(rtrim(replace(replace(replace(url, 'https://', ''), 'http://', ''), 'www.', ''), '/')) = ?",
        )
        .all(key) as Row[]
    ).map(toAdvisory);
  }

  /** Designations that cite a source. */
  sanctionsCiting(sourceId: string): SanctionRecord[] {
    return (
      this.db
        .prepare('SELECT s.* FROM sanctions s WHERE EXISTS (SELECT 1 FROM json_each(s.sources) j WHERE j.value = ?) ORDER BY s.date, s.id')
        .all(sourceId) as Row[]
    ).map(toSanction);
  }

  /** Curated designations whose date starts with `prefix` ("2025-01", "2025"), oldest first; all with "". */
  designationsDated(prefix: string): SanctionRecord[] {
    return (
      this.db.prepare("SELECT * FROM sanctions WHERE list_name IS NULL AND date LIKE ? || '%' ORDER BY date, id").all(prefix) as Row[]
    ).map(toSanction);
  }

  /** The curated designations one body made on one day (those announced together). */
  designatedTogether(designatedBy: string, date: string): SanctionRecord[] {
    return this.cached(`together:${designatedBy}:${date}`, () =>
      (this.q.designatedTogether.all(designatedBy, date) as Row[]).map(toSanction),
    );
  }

  source(id: string): SourceRecord | undefined {
    return this.cached(`source:${id}`, () => {
      const r = this.q.source.get(id) as Row | undefined;
      if (!r) return undefined;
      const s: SourceRecord = {
        id: String(r.id),
        publisher: String(r.publisher),
        title: String(r.title),
        kind: String(r.kind),
        reliability: String(r.reliability),
      };
      if (r.url) s.url = String(r.url);
      if (r.date) s.date = String(r.date);
      return s;
    });
  }

  advisory(id: string): AdvisoryRecord | undefined {
    const r = this.db.prepare('SELECT * FROM advisories WHERE id = ?').get(id) as Row | undefined;
    return r ? toAdvisory(r) : undefined;
  }

  /** Entities of these types (for references such as "the botnet"; keep to types with few entities). */
  entitiesOfType(types: readonly string[]): EntityRecord[] {
    return this.cached(`types:${types.join(',')}`, () =>
      types.flatMap((t) =>
        (this.db.prepare('SELECT id FROM entities WHERE type = ? ORDER BY rowid').pluck().all(t) as string[]).map((id) => this.entity(id)!),
      ),
    );
  }

  /**
   * The claims of every entity of these types, by entity, in one read: a question that looks
   * for a figure among all the entities of a kind (all the KEV entries, say) reads this once per
   * knowledge version instead of each entity's claims.
   */
  claimsOfType(types: readonly string[]): ReadonlyMap<string, ClaimRecord[]> {
    return this.cached(`claims-of-type:${types.join(',')}`, () => {
      const byEntity = new Map<string, ClaimRecord[]>();
      const rows = this.db
        .prepare(
          'SELECT c.* FROM claims c JOIN entities e ON e.id = c.entity_id WHERE e.type IN (SELECT value FROM json_each(?)) ORDER BY c.id',
        )
        .all(JSON.stringify(types)) as Row[];
      for (const r of rows) {
        const claim = toClaim(r);
        const list = byEntity.get(claim.entityId);
        if (list) list.push(claim);
        else byEntity.set(claim.entityId, [claim]);
      }
      return byEntity;
    });
  }

  /** Entities of these types with a claim (of any marking) whose text holds `text`; remembered per text. */
  entitiesWithClaimText(types: readonly string[], text: string): readonly string[] {
    return this.cached(`claim-text:${types.join(',')}:${text}`, () =>
      [...this.claimsOfType(types)].filter(([, claims]) => claims.some((c) => c.text.includes(text))).map(([id]) => id),
    );
  }

  /** How many entities a conversation at `clearance` may see. */
  countEntities(clearance: Tlp): number {
    const levels = TLP_LEVELS.filter((t) => tlpAllows(clearance, t));
    return this.cached(`count-entities:${clearance}`, () =>
      Number(
        this.db
          .prepare(`SELECT count(*) FROM entities WHERE tlp IN (${levels.map(() => '?').join(', ')})`)
          .pluck()
          .get(...levels),
      ),
    );
  }

  /** The ATT&CK object an entity is (a group, software, technique, mitigation or campaign), if any. */
  attackOf(entityId: string): AttackObject | undefined {
    return this.cached(`attack:${entityId}`, () => {
      const r = this.db.prepare("SELECT * FROM attack_objects WHERE entity_id = ? AND status = 'current' LIMIT 1").get(entityId) as
        | Row
        | undefined;
      return r ? toAttack(r) : undefined;
    });
  }

  /** Every ATT&CK object with this id (an old mitigation may share a technique's id), current ones first. */
  attackById(attackId: string): AttackObject[] {
    return (
      this.db
        .prepare(
          "SELECT * FROM attack_objects WHERE attack_id = ? COLLATE NOCASE ORDER BY status = 'current' DESC, kind = 'technique' DESC",
        )
        .all(attackId) as Row[]
    ).map(toAttack);
  }

  /** How many entities use each of these (ATT&CK `uses`: tooling and uses claims naming it): rarer is more telling. */
  usersCount(objectIds: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const count = this.db
      .prepare("SELECT COUNT(DISTINCT entity_id) FROM claims WHERE object_id = ? AND predicate IN ('tooling', 'uses')")
      .pluck();
    for (const id of objectIds)
      out.set(
        id,
        this.cached(`users:${id}`, () => Number(count.get(id))),
      );
    return out;
  }

  latestAdvisories(limit: number): AdvisoryRecord[] {
    return (this.q.latest.all(limit) as Row[]).map(toAdvisory);
  }

  advisoriesAbout(entityId: string, limit: number): AdvisoryRecord[] {
    return this.cached(`advisories:${entityId}:${limit}`, () => {
      return (this.q.advisoriesAbout.all(entityId, limit) as Row[]).map(toAdvisory);
    });
  }

  /**
   * Full-text search for statements containing every given word. Each word is passed as a
   * quoted FTS5 string, so operators, quotes and column filters in user text have no effect.
   */
  /** Facts holding every word; with `prefix`, words that start with them ("telecom" finds "telecommunications"). */
  searchFacts(words: readonly string[], limit: number, options: { prefix?: boolean } = {}): { kind: string; ref: string }[] {
    const query = ftsQuery(words, options);
    if (!query) return [];
    return (this.q.search.all(query, limit) as Row[]).map((r) => ({ kind: String(r.kind), ref: String(r.ref) }));
  }

  stats(): StoreStats {
    return this.cached('stats', () => {
      return this.q.stats.get() as StoreStats;
    });
  }

  knowledgeVersion(): string | undefined {
    return this.getMeta('knowledge_version');
  }

  /**
   * Replaces every curated row with `kb` in one transaction: either all of it is visible
   * afterwards or none of it is. Imported rows are left alone. Advisories keep their
   * sequence number; new ones take the next.
   */
  replaceCurated(kb: KnowledgeBase, fingerprint: string, now: Date): { added: string[] } {
    const db = this.db;
    const added: string[] = [];
    this.cache.clear();
    db.transaction(() => {
      const previous = db.prepare("SELECT id FROM entities WHERE origin = 'curated'").pluck().all() as string[];
      for (const table of ['sources', 'entities', 'aliases', 'claims', 'sanctions']) {
        db.prepare(`DELETE FROM ${table} WHERE origin = 'curated'`).run();
      }
      // A curated row takes precedence over an imported row with the same id (a curator wrote
      // up an entity an import had created): the imported row goes, whatever else the import
      // attached to that id stays, and later imports treat the entity as curated.
      const dropImported = (table: string, ids: readonly string[]) => {
        const del = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
        for (const id of ids) del.run(id);
      };
      dropImported(
        'sources',
        kb.sources.map((s) => s.id),
      );
      dropImported(
        'entities',
        kb.entities.map((e) => e.id),
      );
      dropImported(
        'sanctions',
        kb.sanctions.map((s) => s.id),
      );
      const released = db.prepare('UPDATE import_records SET created_entity = 0 WHERE entity_id = ?');
      for (const e of kb.entities) released.run(e.id);

      const insSource = db.prepare(
        'INSERT INTO sources (id, publisher, title, url, date, kind, reliability, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const s of kb.sources) insSource.run(s.id, s.publisher, s.title, s.url ?? null, s.date, s.kind, s.reliability, 'curated');
      const insEntity = db.prepare(
        'INSERT INTO entities (id, type, name, summary, summary_sources, origin, tlp) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const insAlias = db.prepare('INSERT INTO aliases (entity_id, name, kind, used_by, sources, origin) VALUES (?, ?, ?, ?, ?, ?)');
      const insClaim = db.prepare(
        'INSERT INTO claims (entity_id, predicate, text, object_id, quantity, date, sources, origin, tlp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of kb.entities) {
        insEntity.run(e.id, e.type, e.name, e.summary, JSON.stringify(e.summary_sources), 'curated', e.tlp);
        for (const a of e.aliases) insAlias.run(e.id, a.name, a.kind, a.used_by ?? null, JSON.stringify(a.sources ?? []), 'curated');
        for (const c of e.claims) {
          insClaim.run(
            e.id,
            c.predicate,
            c.text,
            c.object ?? null,
            c.quantity ? JSON.stringify(c.quantity) : null,
            c.date ?? null,
            JSON.stringify(c.sources),
            'curated',
            c.tlp,
          );
        }
      }
      const insSanction = db.prepare(
        `INSERT INTO sanctions (id, target_id, designated_by, date, authority, program, status, reason, effects, reference_title, reference_url, sources, origin, tlp, concerning)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of kb.sanctions) {
        insSanction.run(
          s.id,
          s.target,
          s.designated_by,
          s.date,
          s.authority ?? '',
          s.program ?? null,
          s.status,
          s.reason,
          JSON.stringify(s.effects),
          s.reference.title,
          s.reference.url ?? null,
          JSON.stringify(s.sources),
          'curated',
          s.tlp,
          JSON.stringify(s.concerning),
        );
      }

      const keep = new Set(kb.advisories.map((a) => a.id));
      for (const id of db.prepare("SELECT id FROM advisories WHERE origin = 'curated'").pluck().all() as string[]) {
        if (!keep.has(id)) db.prepare('DELETE FROM advisories WHERE id = ?').run(id);
      }
      const exists = db.prepare('SELECT 1 FROM advisories WHERE id = ?').pluck();
      const update = db.prepare(
        'UPDATE advisories SET title = ?, publisher = ?, published = ?, url = ?, summary = ?, entities = ?, severity = ?, sources = ?, tlp = ? WHERE id = ?',
      );
      const ordered = [...kb.advisories].sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
      for (const a of ordered) {
        const fields = advisoryFields(a);
        if (exists.get(a.id)) {
          update.run(...fields, a.id);
        } else {
          this.insertAdvisory(a.id, fields, 'curated', now);
          added.push(a.id);
        }
      }
      this.rebuildSearch();
      reindexNames(db, [...previous, ...kb.entities.map((e) => e.id)]);
      this.setMeta('knowledge_version', kb.version);
      this.setMeta('knowledge_fingerprint', fingerprint);
      this.setMeta('knowledge_loaded_at', now.toISOString());
    }).immediate();
    return { added };
  }

  /**
   * Adds an advisory from any channel (file, CLI, import, webhook) and gives it the next
   * store-wide sequence number; an advisory already known by id changes nothing.
   */
  addAdvisory(a: NewAdvisory, origin: string, now: Date): { added: boolean; seq: number } {
    this.cache.clear();
    return this.db
      .transaction(() => {
        const known = this.q.advisorySeq.get(a.id) as number | undefined;
        if (known !== undefined) return { added: false, seq: known };
        const seq = this.insertAdvisory(a.id, advisoryFields(a), origin, now);
        if (a.vendor || a.product) this.q.advisoryProduct.run(a.vendor ?? null, a.product ?? null, a.id);
        this.q.advisoryText.run(`${a.title}. ${a.summary}`, a.id);
        return { added: true, seq };
      })
      .immediate();
  }

  /** Advisories added after sequence `afterSeq`, in order of addition. */
  advisoriesAfter(afterSeq: number, limit = 10_000): AdvisoryRecord[] {
    return (this.db.prepare('SELECT * FROM advisories WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as Row[]).map(toAdvisory);
  }

  /**
   * Advisories with afterSeq < seq ≤ upToSeq that digests may send, in order of addition: a
   * feed's baseline (what its first sync or the shipped snapshot brought in) is left out.
   */
  advisoriesBetween(afterSeq: number, upToSeq: number): AdvisoryRecord[] {
    return (
      this.db.prepare('SELECT * FROM advisories WHERE seq > ? AND seq <= ? AND baseline = 0 ORDER BY seq').all(afterSeq, upToSeq) as Row[]
    ).map(toAdvisory);
  }

  /** The highest sequence number given so far (0 before any advisory). */
  lastAdvisorySeq(): number {
    return Number(this.getMeta('advisory_seq') ?? '0');
  }

  /** Forget memoised reads after writing through `db` directly (importers). */
  invalidate(): void {
    this.cache.clear();
  }

  private insertAdvisory(id: string, fields: AdvisoryFields, origin: string, now: Date): number {
    const seq = Number(this.getMeta('advisory_seq') ?? '0') + 1;
    this.q.insertAdvisory.run(id, seq, ...fields, origin, now.toISOString());
    this.setMeta('advisory_seq', String(seq));
    return seq;
  }

  /** Rebuilds the full-text search table from claims, entities and advisories (importers call it). */
  rebuildSearch(): void {
    this.db.exec(`
      DELETE FROM fact_text;
      INSERT INTO fact_text (text, kind, ref) SELECT text, 'claim', id FROM claims;
      INSERT INTO fact_text (text, kind, ref) SELECT name || '. ' || summary, 'entity', id FROM entities;
      INSERT INTO fact_text (text, kind, ref) SELECT title || '. ' || summary, 'advisory', id FROM advisories;
    `);
  }
}

/** Builds an FTS5 query that matches rows containing all words, each as a quoted string. */
export function ftsQuery(words: readonly string[], options: { prefix?: boolean } = {}): string {
  return words
    .map((w) => w.trim())
    .filter((w) => w.length > 0)
    .slice(0, 12)
    .map((w) => `"${w.replace(/"/g, '""')}"${options.prefix ? '*' : ''}`)
    .join(' ');
}
