/**
 * The second pass of an import: what each record says, by kind — the aliases and claims of its
 * entity (or of the entity it is about), a sanctions-list entry, an advisory.
 */
import { normalizeName } from '../base/normalize.js';
import type { FeedRecord } from './types.js';
import { slug } from './util.js';
import { deleteRecordRows, resolveRef, type WriteContext } from './write-context.js';

/** Names each entity already has (normalised), so that a record adds only new ones. */
export type NamesAdded = Map<string, Set<string>>;

function writeAliases(ctx: WriteContext, r: FeedRecord, target: string, namesAdded: NamesAdded, sources: string): void {
  const { q } = ctx;
  let names = namesAdded.get(target);
  if (!names) {
    names = new Set([q.entityName.get(target) as string, ...(q.aliasNames.all(target) as string[])].map((n) => normalizeName(n)));
    namesAdded.set(target, names);
  }
  for (const a of r.aliases) {
    const norm = normalizeName(a.name);
    if (!norm || names.has(norm)) continue;
    names.add(norm);
    q.insertAlias.run(target, a.name, a.kind, a.usedBy ?? null, sources, ctx.origin, r.key, a.weak ? 1 : 0);
    ctx.tallies.aliases++;
    ctx.effective++;
  }
}

function writeClaims(ctx: WriteContext, r: FeedRecord, target: string, sources: string): void {
  const onCurated = ctx.curatedTargets.has(target) || (!ctx.created.has(target) && ctx.q.entityExists.get(target) === 'curated');
  for (const c of r.claims) {
    if (c.notOnCurated && onCurated) continue;
    if (c.onlyWhenAttached && ctx.created.has(target)) continue;
    const object = c.object ? resolveRef(ctx, c.object) : undefined;
    if (c.object && !object && !c.keepWithoutObject) {
      ctx.tallies.skipped.push({ what: r.label, reason: 'a relation to an object that is neither in this file nor imported before' });
      continue;
    }
    ctx.q.insertClaim.run(target, c.predicate, c.text, object ?? null, c.date ?? null, sources, ctx.origin, r.key, r.tlp ?? 'CLEAR');
    ctx.tallies.claims++;
    ctx.effective++;
  }
}

function writeSanction(ctx: WriteContext, r: FeedRecord, target: string): void {
  const s = r.sanction!;
  ctx.q.insertSanction.run(
    s.id,
    target,
    s.designatedBy,
    s.date,
    s.authority,
    s.program ?? null,
    s.reason,
    s.referenceTitle,
    s.referenceUrl ?? null,
    ctx.sources,
    ctx.origin,
    r.key,
    s.list.name,
    s.list.edition,
    JSON.stringify(s.list.programs),
    s.list.entry ?? null,
    s.list.listedName,
    r.tlp ?? 'CLEAR',
  );
  ctx.tallies.listEntries++;
  ctx.effective++;
}

function writeAdvisory(ctx: WriteContext, r: FeedRecord): void {
  const a = r.advisory!;
  const entities = [...new Set(a.entities.map((e) => resolveRef(ctx, e)).filter((x): x is string => Boolean(x)))];
  const result = ctx.store.addAdvisory(
    {
      id: a.id,
      title: a.title,
      publisher: a.publisher,
      published: a.published,
      ...(a.url ? { url: a.url } : {}),
      summary: a.summary,
      entities,
      severity: a.severity,
      ...(a.vendor ? { vendor: a.vendor } : {}),
      ...(a.product ? { product: a.product } : {}),
      sources: [ctx.sourceId],
      ...(r.tlp ? { tlp: r.tlp } : {}),
    },
    ctx.origin,
    ctx.now,
  );
  if (result.added) {
    ctx.tallies.advisoriesAdded++;
    ctx.effective++;
  }
}

/** The id of the source row of a page ("page-attack-mitre-org-groups-g1017"), the same in every import. */
export function pageSourceId(url: string): string {
  return `page-${slug(url.replace(/^https?:\/\//, ''))}`;
}

/** The sources a record's rows cite: its own page when it has one (written once per page), else the import's file. */
function citedSources(ctx: WriteContext, r: FeedRecord): string {
  if (!r.citation) return ctx.sources;
  const id = pageSourceId(r.citation.url);
  ctx.q.upsertPage.run(id, ctx.feed.publisher, r.citation.title, r.citation.url, ctx.feed.edition ?? null, ctx.origin);
  return JSON.stringify([id]);
}

/** An ATT&CK object's id, kind, tactics and status; a withdrawn one's replacement. */
function writeAttack(ctx: WriteContext, r: FeedRecord, target: string | undefined): void {
  const a = r.attack!;
  const replacement = a.replacedBy ? resolveRef(ctx, { record: a.replacedBy.record }) : undefined;
  ctx.q.insertAttack.run(
    a.id,
    a.kind,
    a.name,
    target ?? null,
    a.url ?? null,
    JSON.stringify(a.tactics ?? []),
    a.status,
    a.replacedBy?.id ?? null,
    a.replacedBy?.name ?? null,
    replacement ?? null,
    r.key,
    ctx.origin,
  );
  ctx.effective++;
}

/** Writes what one record says; a record about an entity that cannot be found is skipped. */
export function writeRecord(ctx: WriteContext, r: FeedRecord, rewriteAll: boolean, namesAdded: NamesAdded): void {
  if (!rewriteAll && ctx.plan.status.get(r.key) === 'updated') deleteRecordRows(ctx.q, r.key);
  const target = r.entity ? ctx.entityOf.get(r.key) : r.subject ? resolveRef(ctx, r.subject) : undefined;
  if ((r.entity || r.subject) && !target) {
    ctx.tallies.skipped.push({ what: r.label, reason: 'refers to an object that is neither in this file nor imported before' });
    ctx.skippedKeys.add(r.key);
    return;
  }
  const sources = citedSources(ctx, r);
  if (target) {
    writeAliases(ctx, r, target, namesAdded, sources);
    writeClaims(ctx, r, target, sources);
    if (r.sanction) writeSanction(ctx, r, target);
    ctx.affected.add(target);
  }
  if (r.advisory) writeAdvisory(ctx, r);
  if (r.attack) writeAttack(ctx, r, target);
  ctx.q.upsertRecord.run(r.key, ctx.importId, r.version, target ?? null, target && ctx.created.has(target) ? 1 : 0);
}
