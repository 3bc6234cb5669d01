/**
 * STIX 2.0 and 2.1 bundles: MITRE ATT&CK's (mitre/cti, one object per file or one big bundle)
 * and CISA's advisory bundles. Imported: intrusion-set, threat-actor, malware, tool, campaign,
 * identity, vulnerability (entities), relationship (claims) and report (advisories).
 * Indicators are counted and skipped; other types, custom `x_` properties and references to
 * objects that are not in the file are tolerated; revoked and deprecated objects are left out
 * (and removed if an earlier import brought them in).
 */

import * as z from 'zod';
import { normalizeName } from '../base/normalize.js';
import { tlpFromStixMarkings } from '../base/tlp.js';
import type { Predicate } from '../model/schema.js';
import type { FeedAlias, FeedClaim, FeedFile, FeedRecord, ImportProblem, ParseResult, SkippedItem } from './types.js';
import { datePart, firstSentences, isRecord, parseJson, sha256, slug, versionOf } from './util.js';

/** MITRE's identity in ATT&CK data (created_by_ref of every ATT&CK object). */
const MITRE_IDENTITY = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';
const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack', 'mobile-attack', 'ics-attack']);

const ENTITY_TYPES: Record<string, { type: string; attach: string[] }> = {
  'intrusion-set': { type: 'threat-actor', attach: ['threat-actor'] },
  'threat-actor': { type: 'threat-actor', attach: ['threat-actor'] },
  malware: { type: 'malware', attach: ['malware', 'botnet', 'tool'] },
  tool: { type: 'tool', attach: ['tool', 'malware'] },
  campaign: { type: 'campaign', attach: ['campaign', 'incident'] },
  identity: { type: 'organization', attach: ['organization', 'government-body'] },
  vulnerability: { type: 'vulnerability', attach: ['vulnerability'] },
};

const RELATION_PREDICATES: Record<string, Predicate> = {
  uses: 'uses',
  'attributed-to': 'attributed-to',
  targets: 'targets',
  compromises: 'targets',
  exploits: 'uses',
  'authored-by': 'operated-by',
  owns: 'operates',
};
/** Relationship types that say nothing a person asks the bot about. */
const IGNORED_RELATIONSHIPS = new Set([
  'indicates',
  'mitigates',
  'detects',
  'subtechnique-of',
  'revoked-by',
  'based-on',
  'investigates',
  'remediates',
]);

const StixId = z.string().regex(/^[a-z0-9][a-z0-9-]*--[0-9a-fA-F-]{8,}$/, { error: 'must be a STIX id like intrusion-set--<uuid>' });

const ExternalRef = z.looseObject({
  source_name: z.string(),
  external_id: z.string().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
});

const Common = {
  id: StixId,
  type: z.string().min(1),
  created: z.string().optional(),
  modified: z.string().optional(),
  created_by_ref: z.string().optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  external_references: z.array(ExternalRef).optional(),
  description: z.string().optional(),
};

const Named = z.looseObject({
  ...Common,
  name: z.string().min(1, { error: 'must not be empty' }),
  aliases: z.array(z.string()).optional(),
  x_mitre_aliases: z.array(z.string()).optional(),
  identity_class: z.string().optional(),
  first_seen: z.string().optional(),
});

const Relationship = z.looseObject({
  ...Common,
  relationship_type: z.string().min(1),
  source_ref: StixId,
  target_ref: StixId,
});

const Report = z.looseObject({
  ...Common,
  name: z.string().min(1),
  published: z.string().optional(),
  object_refs: z.array(z.string()).optional(),
});

const Base = z.looseObject({
  type: z.string().min(1, { error: 'must not be empty' }),
  id: z.string().min(1, { error: 'must not be empty' }),
});

type NamedObject = z.infer<typeof Named>;
type RelationshipObject = z.infer<typeof Relationship>;
type ReportObject = z.infer<typeof Report>;

interface Located {
  file: string;
  where: string;
  value: Record<string, unknown>;
}

/** Removes ATT&CK's citation markup: "(Citation: X)", markdown links, and inline HTML tags. */
export function cleanStixText(text: string): string {
  return text
    .replace(/\(Citation:[^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\((?:https?:\/\/|\/)[^)\s]*\)/g, '$1')
    .replace(/<\/?(?:code|b|i|em|strong|br|p|a)(?:\s[^>]*)?\/?>/gi, '')
    .replace(/[ \t]*\n+[ \t]*/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([.,;:])(?=\s|$)/g, '$1')
    .trim();
}

function isWithdrawn(o: Record<string, unknown>): boolean {
  return o.revoked === true || o.x_mitre_deprecated === true;
}

function attackId(o: {
  external_references?: { source_name: string; external_id?: string | undefined }[] | undefined;
}): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCES.has(r.source_name) && r.external_id)?.external_id;
}

function attackUrl(o: { external_references?: { source_name: string; url?: string | undefined }[] | undefined }): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCES.has(r.source_name) && r.url)?.url;
}

function cveId(o: NamedObject): string | undefined {
  const fromRef = o.external_references?.find((r) => r.source_name.toLowerCase() === 'cve' && r.external_id)?.external_id;
  const candidate = fromRef ?? o.name;
  return /^CVE-\d{4}-\d{4,}$/i.test(candidate) ? candidate.toUpperCase() : undefined;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

export interface StixOptions {
  /** Publisher to credit when the bundle does not say (no identity object, not ATT&CK data). */
  publisher?: string;
}

/** True for a document that looks like a STIX bundle (or a bare array of STIX objects). */
export function looksLikeStix(value: unknown): boolean {
  if (isRecord(value))
    return value.type === 'bundle' || (typeof value.type === 'string' && typeof value.id === 'string' && String(value.id).includes('--'));
  return (
    Array.isArray(value) && value.length > 0 && isRecord(value[0]) && typeof value[0].id === 'string' && String(value[0].id).includes('--')
  );
}

/** Parses one or more bundles (a folder of ATT&CK files is one import). */
export function parseStix(files: readonly FeedFile[], display: string, options: StixOptions = {}): ParseResult {
  const problems: ImportProblem[] = [];
  const located: Located[] = [];
  const specs = new Set<string>();
  for (const file of files) {
    const parsed = parseJson(file);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const doc = parsed.value;
    let objects: unknown[];
    let prefix: string;
    if (isRecord(doc) && doc.type === 'bundle') {
      if (!Array.isArray(doc.objects)) {
        problems.push({ file: file.display, where: 'objects', message: 'a bundle must have an "objects" array' });
        continue;
      }
      if (typeof doc.spec_version === 'string') specs.add(doc.spec_version);
      objects = doc.objects;
      prefix = 'objects';
    } else if (Array.isArray(doc)) {
      objects = doc;
      prefix = '';
    } else if (isRecord(doc)) {
      objects = [doc];
      prefix = '';
    } else {
      problems.push({ file: file.display, where: '', message: 'expected a STIX bundle ({"type": "bundle", "objects": [...]})' });
      continue;
    }
    objects.forEach((o, i) => {
      const where = `${prefix}[${i}]`;
      if (!isRecord(o)) {
        problems.push({ file: file.display, where, message: 'expected a STIX object' });
        return;
      }
      const base = Base.safeParse(o);
      if (!base.success) {
        for (const issue of base.error.issues)
          problems.push({ file: file.display, where: `${where}.${issuePath(issue.path)}`, message: issue.message });
        return;
      }
      if (typeof o.spec_version === 'string') specs.add(o.spec_version);
      located.push({ file: file.display, where: `${where} (${String(o.id)})`, value: o });
    });
  }

  // The same object may come in several files (a full bundle and a newer single object): keep the latest.
  const byId = new Map<string, Located>();
  for (const l of located) {
    const prev = byId.get(String(l.value.id));
    if (!prev || String(l.value.modified ?? '') > String(prev.value.modified ?? '')) byId.set(String(l.value.id), l);
  }

  const check = <T>(schema: z.ZodType<T>, l: Located): T | undefined => {
    const r = schema.safeParse(l.value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const sub = issuePath(issue.path);
      problems.push({ file: l.file, where: sub ? `${l.where}.${sub}` : l.where, message: issue.message });
    }
    return undefined;
  };

  const named = new Map<string, { located: Located; object: NamedObject }>();
  const relationships: { located: Located; object: RelationshipObject }[] = [];
  const reports: { located: Located; object: ReportObject }[] = [];
  const skipped: SkippedItem[] = [];
  const withdrawn: string[] = [];
  /** Every object's name, for relationship sentences (attack patterns and other types too). */
  const names = new Map<string, { name: string; type: string; attackId?: string }>();
  const identities = new Map<string, string>();

  for (const l of byId.values()) {
    const type = String(l.value.type);
    const id = String(l.value.id);
    if (typeof l.value.name === 'string') {
      const info: { name: string; type: string; attackId?: string } = { name: l.value.name, type };
      const ext = attackId(l.value as NamedObject);
      if (ext) info.attackId = ext;
      names.set(id, info);
      if (type === 'identity') identities.set(id, l.value.name);
    }
    if (ENTITY_TYPES[type]) {
      if (!String(l.value.id).startsWith(`${type}--`)) {
        problems.push({ file: l.file, where: l.where, message: `the id must start with "${type}--"` });
        continue;
      }
      if (type === 'malware' && typeof l.value.name !== 'string' && l.value.is_family === false) {
        skipped.push({ what: `${l.file}: ${l.where}`, reason: 'a malware instance without a name' });
        continue;
      }
      const object = check(Named, l);
      if (object) named.set(id, { located: l, object });
    } else if (type === 'relationship') {
      const object = check(Relationship, l);
      if (object) relationships.push({ located: l, object });
    } else if (type === 'report') {
      const object = check(Report, l);
      if (object) reports.push({ located: l, object });
    } else if (type === 'indicator') {
      skipped.push({ what: `${l.file}: ${l.where}`, reason: 'indicator (indicators are counted, not imported)' });
    } else if (type !== 'marking-definition' && type !== 'x-mitre-collection' && type !== 'x-mitre-matrix') {
      skipped.push({ what: `${l.file}: ${l.where}`, reason: `type "${type}" is not imported` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const all = [...byId.values()].map((l) => l.value);
  const isAttack = all.some((o) => o.created_by_ref === MITRE_IDENTITY || Object.keys(o).some((k) => k.startsWith('x_mitre_')));
  const creators = new Map<string, number>();
  for (const o of all) if (typeof o.created_by_ref === 'string') creators.set(o.created_by_ref, (creators.get(o.created_by_ref) ?? 0) + 1);
  const mainCreator = [...creators.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const publisher = isAttack
    ? 'MITRE ATT&CK'
    : (mainCreator && identities.get(mainCreator)) || options.publisher || 'Unknown publisher (STIX bundle without an identity)';
  const editions = all.map((o) => datePart(o.modified) ?? datePart(o.created)).filter((d): d is string => Boolean(d));
  const edition = editions.sort().at(-1);
  const spec = [...specs].sort().join('/') || '2.x';

  const records: FeedRecord[] = [];
  const usedIds = new Set<string>();
  for (const [stixId, { located, object }] of named) {
    const key = `stix:${stixId}`;
    if (isWithdrawn(object)) {
      withdrawn.push(key);
      skipped.push({ what: `${located.file}: ${located.where}`, reason: object.revoked ? 'revoked' : 'deprecated' });
      continue;
    }
    const mapping = ENTITY_TYPES[object.type]!;
    const ext = attackId(object);
    const cve = object.type === 'vulnerability' ? cveId(object) : undefined;
    let id = cve ? cve.toLowerCase() : ext ? `attack-${ext.toLowerCase()}` : `stix-${slug(object.name) || stixId.slice(-12)}`;
    if (usedIds.has(id)) id = `${id}-${stixId.slice(-8)}`;
    usedIds.add(id);
    const type = object.type === 'identity' && object.identity_class === 'individual' ? 'person' : mapping.type;
    const attach = object.type === 'identity' && object.identity_class === 'individual' ? ['person'] : mapping.attach;
    const description = object.description ? cleanStixText(object.description) : '';
    const label = `${object.name}${ext ? ` (${ext})` : ''}`;
    const summary = description
      ? firstSentences(description)
      : `${object.name} is ${article(object.type)} ${object.type.replace(/-/g, ' ')} in ${publisher} data${ext ? ` (${ext})` : ''}.`;

    const aliases: FeedAlias[] = [];
    const nameNorm = normalizeName(object.name);
    for (const a of [...(object.aliases ?? []), ...(object.x_mitre_aliases ?? [])]) {
      if (a.trim() && normalizeName(a) !== nameNorm) aliases.push({ name: a.trim(), kind: 'name' });
    }
    if (ext) aliases.push({ name: ext, kind: 'identifier', usedBy: 'MITRE ATT&CK' });
    if (cve && normalizeName(cve) !== nameNorm) aliases.push({ name: cve, kind: 'identifier' });

    const claims: FeedClaim[] = [];
    // The summary holds the description's first sentences; the whole description is a claim when it says more.
    if (description)
      claims.push({
        predicate: 'description',
        text: description,
        notOnCurated: true,
        ...(description === summary ? { onlyWhenAttached: true } : {}),
      });
    const firstSeen = datePart(object.first_seen);
    if (firstSeen)
      claims.push({
        predicate: 'active-since',
        text: `${publisher} records ${object.name} as first seen on ${firstSeen}.`,
        date: firstSeen,
        notOnCurated: true,
      });

    const identifiers = [ext, cve].filter((x): x is string => Boolean(x));
    records.push({
      key,
      version: object.modified ?? versionOf(object),
      label,
      entity: {
        id,
        type,
        name: object.name,
        summary,
        ...(identifiers.length ? { identifiers } : {}),
        matchNames: [object.name],
        attachTypes: attach,
      },
      aliases,
      claims,
    });
  }

  for (const { located, object } of relationships) {
    const key = `stix:${object.id}`;
    if (isWithdrawn(object)) {
      withdrawn.push(key);
      skipped.push({ what: `${located.file}: ${located.where}`, reason: object.revoked ? 'revoked' : 'deprecated' });
      continue;
    }
    const kind = object.relationship_type;
    if (IGNORED_RELATIONSHIPS.has(kind)) {
      skipped.push({ what: `${located.file}: ${located.where}`, reason: `relationship "${kind}" is not imported` });
      continue;
    }
    const sourceType = object.source_ref.split('--')[0]!;
    if (!ENTITY_TYPES[sourceType]) {
      skipped.push({ what: `${located.file}: ${located.where}`, reason: `relationship from a ${sourceType}, which is not imported` });
      continue;
    }
    const targetType = object.target_ref.split('--')[0]!;
    const source = names.get(object.source_ref)?.name;
    const target = names.get(object.target_ref);
    const description = object.description ? cleanStixText(object.description) : '';
    const targetName = target ? `${target.name}${target.attackId ? ` (${target.attackId})` : ''}` : undefined;
    const text = description || (source && targetName ? `${source} ${kind.replace(/-/g, ' ')} ${targetName}.` : '');
    if (!text) {
      skipped.push({
        what: `${located.file}: ${located.where}`,
        reason: `relationship to ${object.target_ref}, which is not in the file, and without a description`,
      });
      continue;
    }
    // An attack pattern is a technique, not an entity: "X uses T1190" is a statement about X's tradecraft.
    const claim: FeedClaim =
      targetType === 'attack-pattern'
        ? {
            predicate: 'tooling',
            text: description && targetName && !description.includes(target!.name) ? `${description} (technique: ${targetName})` : text,
          }
        : {
            predicate: RELATION_PREDICATES[kind] ?? 'linked-to',
            text,
            object: { record: `stix:${object.target_ref}` },
            keepWithoutObject: true,
          };
    records.push({
      key,
      version: object.modified ?? versionOf(object),
      label: `${source ?? object.source_ref} ${kind.replace(/-/g, ' ')} ${targetName ?? object.target_ref}`,
      subject: { record: `stix:${object.source_ref}` },
      aliases: [],
      claims: [claim],
    });
  }

  for (const { located, object } of reports) {
    const key = `stix:${object.id}`;
    if (isWithdrawn(object)) {
      withdrawn.push(key);
      skipped.push({ what: `${located.file}: ${located.where}`, reason: object.revoked ? 'revoked' : 'deprecated' });
      continue;
    }
    const description = object.description ? cleanStixText(object.description) : '';
    const url = object.external_references?.find((r) => r.url)?.url;
    const published = datePart(object.published) ?? datePart(object.modified) ?? datePart(object.created) ?? edition;
    if (!published) {
      problems.push({ file: located.file, where: located.where, message: 'a report needs a published (or created) date' });
      continue;
    }
    records.push({
      key,
      version: object.modified ?? versionOf(object),
      label: object.name,
      aliases: [],
      claims: [],
      advisory: {
        id: `stix-${object.id}`,
        title: object.name,
        publisher: (object.created_by_ref && identities.get(object.created_by_ref)) || publisher,
        published,
        ...(url ? { url } : {}),
        summary: description || object.name,
        entities: (object.object_refs ?? []).filter((r) => ENTITY_TYPES[r.split('--')[0]!]).map((r) => ({ record: `stix:${r}` })),
        severity: 'info',
      },
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  // TLP marking definitions on an object mark everything its record writes.
  for (const r of records) {
    const obj = byId.get(r.key.replace(/^stix:/, ''))?.value as { object_marking_refs?: unknown } | undefined;
    const refs = Array.isArray(obj?.object_marking_refs) ? obj.object_marking_refs.filter((x): x is string => typeof x === 'string') : [];
    const tlp = tlpFromStixMarkings(refs);
    if (tlp !== 'CLEAR') r.tlp = tlp;
  }

  const first = named.values().next().value;
  const single = named.size === 1 && first ? attackUrl(first.object) : undefined;
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

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
