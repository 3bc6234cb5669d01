/**
 * The first pass of an import: the entity of every record, found among those already in the
 * store (by identifier, else by an unambiguous name) or created, so that records can refer to
 * each other in any order.
 */
import { normalizeName } from '../base/normalize.js';
import type { FeedRecord } from './types.js';
import type { WriteContext } from './write-context.js';
import { pageSourceId } from './write-records.js';

type Row = Record<string, unknown>;

function prefixOf(key: string): string {
  return key.slice(0, key.indexOf(':') + 1);
}

/** An existing entity this record is about: by identifier, else by a name exactly one entity of a fitting type carries. */
function findExisting(ctx: WriteContext, r: FeedRecord): string | undefined {
  const { q } = ctx;
  const e = r.entity!;
  const own = prefixOf(r.key);
  // An entity another record of the same feed created is that record's, not this one's.
  const usable = (id: string) => {
    const creator = q.creator.get(id) as string | undefined;
    return !creator?.startsWith(own) || creator === r.key;
  };
  for (const ident of e.identifiers ?? []) {
    const ids = new Set((q.byNorm.all(normalizeName(ident)) as Row[]).map((x) => String(x.entity_id)).filter(usable));
    if (ids.size === 1) return [...ids][0];
  }
  for (const name of e.matchNames ?? []) {
    const rows = (q.byNorm.all(normalizeName(name)) as Row[]).filter((x) => !e.attachTypes || e.attachTypes.includes(String(x.type)));
    const ids = new Set(rows.map((x) => String(x.entity_id)).filter(usable));
    if (ids.size === 1) return [...ids][0];
  }
  return undefined;
}

/** A fresh id: the record's own, numbered when an entity or another record of this import has it. */
function freshId(ctx: WriteContext, wanted: string, taken: ReadonlySet<string>): string {
  let id = wanted;
  for (let n = 2; ctx.q.entityExists.get(id) !== undefined || taken.has(id); n++) id = `${wanted}-${n}`;
  return id;
}

function writeEntity(ctx: WriteContext, r: FeedRecord, id: string, createdHere: boolean): void {
  const { q } = ctx;
  const e = r.entity!;
  const sources = r.citation ? JSON.stringify([pageSourceId(r.citation.url)]) : ctx.sources;
  if (createdHere) {
    if (q.entityExists.get(id) === undefined) {
      q.insertEntity.run(id, e.type, e.name, e.summary, sources, ctx.origin, r.tlp ?? 'CLEAR');
      ctx.tallies.entitiesCreated++;
    } else q.updateEntity.run(e.type, e.name, e.summary, sources, ctx.origin, r.tlp ?? 'CLEAR', id);
    ctx.created.add(id);
    ctx.effective++;
  } else {
    ctx.tallies.entitiesEnriched++;
    if (q.entityExists.get(id) === 'curated') ctx.curatedTargets.add(id);
  }
  ctx.affected.add(id);
}

/** Places the entity of every record of the feed; writes those of the records being written. */
export function placeEntities(ctx: WriteContext, writing: ReadonlySet<string>): void {
  const taken = new Set<string>();
  for (const r of ctx.feed.records) {
    if (!r.entity) continue;
    const prev = ctx.plan.previous.get(r.key);
    const write = writing.has(r.key);
    let id: string | undefined;
    let createdHere = false;
    if (prev?.entityId && ctx.q.entityExists.get(prev.entityId) !== undefined) {
      id = prev.entityId;
      createdHere = prev.created;
    } else if (!write) {
      continue;
    } else {
      id = findExisting(ctx, r);
      if (!id) {
        id = freshId(ctx, r.entity.id, taken);
        createdHere = true;
      }
    }
    taken.add(id);
    ctx.entityOf.set(r.key, id);
    if (write) writeEntity(ctx, r, id, createdHere);
  }
}
