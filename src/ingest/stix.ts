/**
 * STIX 2.0 and 2.1 bundles: MITRE ATT&CK's (mitre/cti, one object per file or one big bundle)
 * and CISA's advisory bundles. Imported: intrusion-set, threat-actor, malware, tool, campaign,
 * identity, vulnerability (entities, stix-entities.ts), relationship (claims,
 * stix-relationships.ts) and report (advisories, stix-reports.ts). Indicators are counted and
 * skipped; other types, custom `x_` properties and references to objects that are not in the
 * file are tolerated; revoked and deprecated objects are left out (and removed if an earlier
 * import brought them in).
 */
import { tlpFromStixMarkings } from '../base/tlp.js';
import { attackFacts, replacementsOf, tacticNames, withdrawnRecord } from './stix-attack.js';
import { ENTITY_TYPES, entityRecord } from './stix-entities.js';
import {
  attackId,
  attackUrl,
  checkObject,
  isWithdrawn,
  type Located,
  latestById,
  MITRE_IDENTITY,
  Named,
  type NamedObject,
  Relationship,
  type RelationshipObject,
  Report,
  type ReportObject,
  readStixObjects,
} from './stix-objects.js';
import { relationshipRecord } from './stix-relationships.js';
import { reportRecord } from './stix-reports.js';
import type { FeedFile, FeedRecord, ImportProblem, ParseResult, SkippedItem } from './types.js';
import { datePart, sha256 } from './util.js';

export { cleanStixText, looksLikeStix } from './stix-objects.js';

export interface StixOptions {
  /** Publisher to credit when the bundle does not say (no identity object, not ATT&CK data). */
  publisher?: string;
}

/** The objects of the files sorted by what they become. */
interface Sorted {
  named: Map<string, { located: Located; object: NamedObject }>;
  relationships: { located: Located; object: RelationshipObject }[];
  reports: { located: Located; object: ReportObject }[];
  skipped: SkippedItem[];
  /** Every object's name, for relationship sentences (attack patterns and other types too). */
  names: Map<string, { name: string; type: string; attackId?: string }>;
  identities: Map<string, string>;
}

/** Types read for what they say of others (tactic names), or that say nothing: not counted as skipped. */
const NOT_COUNTED = new Set(['marking-definition', 'x-mitre-collection', 'x-mitre-matrix', 'x-mitre-tactic']);

function sortObjects(byId: ReadonlyMap<string, Located>, problems: ImportProblem[]): Sorted {
  const s: Sorted = { named: new Map(), relationships: [], reports: [], skipped: [], names: new Map(), identities: new Map() };
  for (const l of byId.values()) {
    const type = String(l.value.type);
    const id = String(l.value.id);
    const what = `${l.file}: ${l.where}`;
    if (typeof l.value.name === 'string') {
      const ext = attackId(l.value as NamedObject);
      s.names.set(id, { name: l.value.name, type, ...(ext ? { attackId: ext } : {}) });
      if (type === 'identity') s.identities.set(id, l.value.name);
    }
    if (ENTITY_TYPES[type]) {
      if (!id.startsWith(`${type}--`)) {
        problems.push({ file: l.file, where: l.where, message: `the id must start with "${type}--"` });
      } else if (type === 'malware' && typeof l.value.name !== 'string' && l.value.is_family === false) {
        s.skipped.push({ what, reason: 'a malware instance without a name' });
      } else {
        const object = checkObject(Named, l, problems);
        if (object) s.named.set(id, { located: l, object });
      }
    } else if (type === 'relationship') {
      const object = checkObject(Relationship, l, problems);
      if (object) s.relationships.push({ located: l, object });
    } else if (type === 'report') {
      const object = checkObject(Report, l, problems);
      if (object) s.reports.push({ located: l, object });
    } else if (type === 'indicator') {
      s.skipped.push({ what, reason: 'indicator (indicators are counted, not imported)' });
    } else if (!NOT_COUNTED.has(type)) {
      s.skipped.push({ what, reason: `type "${type}" is not imported` });
    }
  }
  return s;
}

/** Who published the bundle: MITRE for ATT&CK data, else the identity that created most objects. */
function publisherOf(all: readonly Record<string, unknown>[], identities: ReadonlyMap<string, string>, options: StixOptions) {
  const isAttack = all.some((o) => o.created_by_ref === MITRE_IDENTITY || Object.keys(o).some((k) => k.startsWith('x_mitre_')));
  const creators = new Map<string, number>();
  for (const o of all) if (typeof o.created_by_ref === 'string') creators.set(o.created_by_ref, (creators.get(o.created_by_ref) ?? 0) + 1);
  const mainCreator = [...creators.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const publisher = isAttack
    ? 'MITRE ATT&CK'
    : (mainCreator && identities.get(mainCreator)) || options.publisher || 'Unknown publisher (STIX bundle without an identity)';
  return { isAttack, publisher };
}

/** Withdrawn objects (revoked or deprecated) write nothing; what an earlier import wrote for them goes. */
function withdraw(l: Located, o: Record<string, unknown>, withdrawn: string[], skipped: SkippedItem[]): void {
  withdrawn.push(`stix:${String(o.id)}`);
  skipped.push({ what: `${l.file}: ${l.where}`, reason: o.revoked ? 'revoked' : 'deprecated' });
}

/** TLP marking definitions on an object mark everything its record writes. */
function markTlp(records: FeedRecord[], byId: ReadonlyMap<string, Located>): void {
  for (const r of records) {
    const obj = byId.get(r.key.replace(/^stix:/, ''))?.value as { object_marking_refs?: unknown } | undefined;
    const refs = Array.isArray(obj?.object_marking_refs) ? obj.object_marking_refs.filter((x): x is string => typeof x === 'string') : [];
    const tlp = tlpFromStixMarkings(refs);
    if (tlp !== 'CLEAR') r.tlp = tlp;
  }
}

/** Parses one or more bundles (a folder of ATT&CK files is one import). */
export function parseStix(files: readonly FeedFile[], display: string, options: StixOptions = {}): ParseResult {
  const read = readStixObjects(files);
  const problems = read.problems;
  const byId = latestById(read.located);
  const sorted = sortObjects(byId, problems);
  if (problems.length > 0) return { ok: false, problems };

  const all = [...byId.values()].map((l) => l.value);
  const { isAttack, publisher } = publisherOf(all, sorted.identities, options);
  const edition = all
    .map((o) => datePart(o.modified) ?? datePart(o.created))
    .filter((d): d is string => Boolean(d))
    .sort()
    .at(-1);
  const spec = [...read.specs].sort().join('/') || '2.x';

  const records: FeedRecord[] = [];
  const { skipped } = sorted;
  const withdrawn: string[] = [];
  const usedIds = new Set<string>();
  const nameOf = (id: string) => sorted.names.get(id);
  const tactics = tacticNames(byId);
  const replacements = replacementsOf(sorted.relationships, nameOf);
  /** Each sub-technique's technique, by name. */
  const parents = new Map<string, string>();
  for (const { object } of sorted.relationships) {
    const parent = object.relationship_type === 'subtechnique-of' ? nameOf(object.target_ref)?.name : undefined;
    if (parent) parents.set(object.source_ref, parent);
  }
  /** Each ATT&CK object's page, which the statements about it cite. */
  const pages = new Map<string, { title: string; url: string }>();
  for (const [stixId, { located, object }] of sorted.named) {
    const status = object.revoked ? 'revoked' : object.x_mitre_deprecated ? 'deprecated' : 'current';
    const attack = isAttack ? attackFacts(object, tactics, replacements, status) : undefined;
    if (attack?.url) pages.set(stixId, { title: `${attack.name} (${attack.id}), MITRE ATT&CK`, url: attack.url });
    if (isWithdrawn(object)) {
      withdraw(located, object, withdrawn, skipped);
      if (attack) records.push(withdrawnRecord(stixId, object, attack));
      continue;
    }
    const record = entityRecord(stixId, object, publisher, usedIds, parents.get(stixId));
    if (attack) record.attack = attack;
    const page = pages.get(stixId);
    if (page) record.citation = page;
    records.push(record);
  }
  for (const { located, object } of sorted.relationships) {
    if (isWithdrawn(object)) {
      withdraw(located, object, withdrawn, skipped);
      continue;
    }
    const r = relationshipRecord(located, object, nameOf);
    if (!('key' in r)) {
      skipped.push(r);
      continue;
    }
    const page = r.subject && 'record' in r.subject ? pages.get(r.subject.record.replace(/^stix:/, '')) : undefined;
    if (page) r.citation = page;
    records.push(r);
  }
  for (const { located, object } of sorted.reports) {
    if (isWithdrawn(object)) {
      withdraw(located, object, withdrawn, skipped);
      continue;
    }
    const r = reportRecord(located, object, publisher, edition, sorted.identities);
    if ('key' in r) records.push(r);
    else problems.push(r);
  }
  if (problems.length > 0) return { ok: false, problems };
  markTlp(records, byId);

  const first = sorted.named.values().next().value;
  const single = sorted.named.size === 1 && first ? attackUrl(first.object) : undefined;
  return {
    ok: true,
    feed: {
      format: 'stix',
      file: display,
      sha256: sha256(files.map((f) => f.text)),
      publisher,
      title: isAttack ? `MITRE ATT&CK data, STIX ${spec} (${display})` : `STIX ${spec} bundle from ${publisher} (${display})`,
      ...(edition ? { edition } : {}),
      ...(single ? { url: single } : isAttack ? { url: 'https://attack.mitre.org/' } : {}),
      records,
      skipped,
      withdrawn,
    },
  };
}
