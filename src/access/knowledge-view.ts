import { type Tlp, tlpAllows } from '../base/tlp.js';
import type {
  AdvisoryRecord,
  AliasRecord,
  AttackObject,
  ClaimRecord,
  EntityRecord,
  FactStore,
  LoadedList,
  SanctionRecord,
  SourceRecord,
} from '../store/fact-store.js';
import { type NameTable, StoreNameTable } from '../store/name-index.js';

/**
 * The knowledge a conversation at one TLP clearance may see, and nothing else. Deny by default:
 * this is the only way the answer, understanding and digest layers read knowledge, and it has
 * no method that passes an unfiltered read through. An entity marked above the clearance does
 * not exist here (its names are not in `names()`, so no suggestion, count or listing can reveal
 * it), and neither does any claim, designation or advisory marked above it, nor any claim whose
 * other side is hidden.
 */
export interface KnowledgeView {
  readonly clearance: Tlp;
  knowledgeVersion(): string | undefined;
  /** Every visible name, for finding names in questions. */
  names(): NameTable;
  entity(id: string): EntityRecord | undefined;
  /** Visible entities of these types (small types only: people use them as "the botnet"). */
  entitiesOfType(types: readonly string[]): EntityRecord[];
  /** Entities of these types with a claim shown here whose text holds one of `texts` ("260,000"). */
  holdingText(types: readonly string[], texts: readonly string[]): Set<string>;
  aliases(entityId: string): AliasRecord[];
  claims(entityId: string): ClaimRecord[];
  /** Claims of other entities whose object is this one. */
  claimsAbout(entityId: string): ClaimRecord[];
  sanctionsOf(entityId: string): SanctionRecord[];
  sanctionsConcerning(entityId: string): SanctionRecord[];
  designatedTogether(designatedBy: string, date: string): SanctionRecord[];
  /** Curated designations whose date starts with `prefix` ("2025-01"); every one with "". */
  designationsDated(prefix: string): SanctionRecord[];
  /** Sources at this address (scheme, "www." and trailing slashes aside). */
  sourcesWithUrl(key: string): string[];
  /** Designations that cite a source. */
  sanctionsCiting(sourceId: string): SanctionRecord[];
  /** Advisories published at this address (see `sourcesWithUrl`). */
  advisoriesAt(key: string): AdvisoryRecord[];
  source(id: string): SourceRecord | undefined;
  latestAdvisories(limit: number): AdvisoryRecord[];
  advisoriesAbout(entityId: string, limit: number): AdvisoryRecord[];
  /** Full-text search over what the clearance may see. */
  searchFacts(words: readonly string[], limit: number, options?: { prefix?: boolean }): { kind: string; ref: string }[];
  claim(id: number): ClaimRecord | undefined;
  /** One advisory by id, if the clearance may see it. */
  advisory(id: string): AdvisoryRecord | undefined;
  loadedLists(): LoadedList[];
  /** Entities with a visible entry on an imported sanctions list. */
  listedTargets(): ReadonlySet<string>;
  curatedDesignations(): number;
  /** Visible entities and names (what "I checked …" may say). */
  counts(): { entities: number; names: number };
  /**
   * How many claims, designations and advisories about entities shown here were held back
   * because of their marking. Counted only for entities the conversation can see, so the
   * count can't confirm whether a hidden name exists.
   */
  withheld(): number;
  /** ATT&CK's facts of a visible entity. */
  attackOf(entityId: string): AttackObject | undefined;
  /** ATT&CK objects by id, withdrawn ones included (they name no entity); a replacement the view hides is left out. */
  attackById(attackId: string): AttackObject[];
  usersCount(objectIds: readonly string[]): Map<string, number>;
}

/** How many rows a search reads before filtering, per row it returns. */
const SEARCH_OVERFETCH = 4;

/** Name tables per store, knowledge stamp and clearance: building one reads every name. */
const nameTables = new WeakMap<FactStore, Map<string, NameTable>>();

export function createKnowledgeView(store: FactStore, clearance: Tlp): KnowledgeView {
  const hidden = new Set<string>();
  const visible = (marking: Tlp | undefined) => tlpAllows(clearance, marking);
  const entity = (id: string): EntityRecord | undefined => {
    const e = store.entity(id);
    return e && visible(e.tlp) ? e : undefined;
  };
  /** Keeps the visible items; counts the hidden ones (their subject is visible by construction). */
  const keep = <T extends { tlp?: Tlp | undefined }>(kind: string, key: (x: T) => string | number, items: readonly T[]): T[] =>
    items.filter((x) => {
      if (visible(x.tlp)) return true;
      hidden.add(`${kind}:${key(x)}`);
      return false;
    });
  const claimShown = (c: ClaimRecord) => entity(c.entityId) !== undefined && (c.objectId === undefined || entity(c.objectId) !== undefined);
  const advisory = (a: AdvisoryRecord): AdvisoryRecord => ({ ...a, entities: a.entities.filter((id) => entity(id) !== undefined) });

  return {
    clearance,
    knowledgeVersion: () => store.knowledgeVersion(),
    names() {
      let perStore = nameTables.get(store);
      if (!perStore) {
        perStore = new Map();
        nameTables.set(store, perStore);
      }
      const stamp = `${store.knowledgeVersion() ?? ''}:${store.getMeta('names_changed') ?? ''}`;
      const key = `${stamp}:${clearance}`;
      let table = perStore.get(key);
      if (!table) {
        // Tables of an older knowledge stamp will not be asked for again.
        for (const k of perStore.keys()) if (!k.startsWith(`${stamp}:`)) perStore.delete(k);
        store.nameTable(); // brings the index up to date first
        table = new StoreNameTable(store.db, clearance);
        perStore.set(key, table);
      }
      return table;
    },
    entity,
    entitiesOfType: (types) => store.entitiesOfType(types).filter((e) => visible(e.tlp)),
    holdingText(types, texts) {
      const out = new Set<string>();
      const holds = (c: ClaimRecord) => texts.some((t) => c.text.includes(t));
      const shown = (c: ClaimRecord) => visible(c.tlp) && (c.objectId === undefined || entity(c.objectId) !== undefined);
      const claimsOf = store.claimsOfType(types);
      for (const id of new Set(texts.flatMap((t) => store.entitiesWithClaimText(types, t)))) {
        if (entity(id) && claimsOf.get(id)!.some((c) => holds(c) && shown(c))) out.add(id);
      }
      return out;
    },
    aliases: (id) => (entity(id) ? store.aliases(id) : []),
    claims: (id) =>
      entity(id)
        ? keep(
            'claim',
            (c) => c.id,
            store.claims(id).filter((c) => c.objectId === undefined || entity(c.objectId) !== undefined),
          )
        : [],
    claimsAbout: (id) =>
      entity(id)
        ? keep(
            'claim',
            (c) => c.id,
            store.claimsAbout(id).filter((c) => entity(c.entityId) !== undefined),
          )
        : [],
    sanctionsOf: (id) => (entity(id) ? keep('sanction', (s) => s.id, store.sanctionsOf(id)) : []),
    sanctionsConcerning: (id) => (entity(id) ? store.sanctionsConcerning(id).filter((s) => visible(s.tlp) && entity(s.targetId)) : []),
    designatedTogether: (by, date) => store.designatedTogether(by, date).filter((s) => visible(s.tlp) && entity(s.targetId)),
    designationsDated: (prefix) => store.designationsDated(prefix).filter((s) => visible(s.tlp) && entity(s.targetId)),
    sourcesWithUrl: (key) => store.sourcesWithUrl(key),
    attackOf: (id) => (entity(id) ? store.attackOf(id) : undefined),
    attackById: (attackId) =>
      store
        .attackById(attackId)
        .filter((a) => (a.entityId ? entity(a.entityId) : true))
        .map((a) => {
          if (!a.replacedBy?.entityId || entity(a.replacedBy.entityId)) return a;
          const { entityId: _hidden, ...replacedBy } = a.replacedBy;
          return { ...a, replacedBy };
        }),
    usersCount: (ids) => store.usersCount(ids),
    sanctionsCiting: (id) => store.sanctionsCiting(id).filter((s) => visible(s.tlp) && entity(s.targetId)),
    advisoriesAt: (key) =>
      store
        .advisoriesAt(key)
        .filter((a) => visible(a.tlp))
        .map(advisory),
    source: (id) => store.source(id),
    latestAdvisories: (limit) =>
      store
        .latestAdvisories(limit * SEARCH_OVERFETCH)
        .filter((a) => visible(a.tlp))
        .slice(0, limit)
        .map(advisory),
    advisoriesAbout: (id, limit) =>
      entity(id)
        ? keep('advisory', (a) => a.id, store.advisoriesAbout(id, limit * SEARCH_OVERFETCH))
            .slice(0, limit)
            .map(advisory)
        : [],
    searchFacts: (words, limit, options) =>
      store
        .searchFacts(words, limit * SEARCH_OVERFETCH, options)
        .filter((h) => {
          if (h.kind === 'entity') return entity(h.ref) !== undefined;
          if (h.kind === 'claim') {
            const c = store.claim(Number(h.ref));
            return c !== undefined && visible(c.tlp) && claimShown(c);
          }
          if (h.kind === 'advisory') {
            const a = store.advisory(h.ref);
            return a !== undefined && visible(a.tlp);
          }
          return false;
        })
        .slice(0, limit),
    advisory(id) {
      const a = store.advisory(id);
      return a && visible(a.tlp) ? advisory(a) : undefined;
    },
    claim(id) {
      const c = store.claim(id);
      return c && visible(c.tlp) && claimShown(c) ? c : undefined;
    },
    loadedLists: () => store.loadedLists(),
    listedTargets: () => new Set(store.listedTargets().flatMap((t) => (visible(t.tlp) ? [t.targetId] : []))),
    curatedDesignations: () => store.curatedDesignations(),
    counts() {
      const table = this.names();
      return { entities: store.countEntities(clearance), names: table.size };
    },
    withheld: () => hidden.size,
  };
}
