/**
 * The STIX objects of one or more bundles, checked and ready to turn into records: the shapes
 * the importer reads (zod), the ATT&CK identifiers and links in `external_references`, and the
 * reading of files into objects located by file and position for error messages.
 */
import * as z from 'zod';
import type { FeedFile, ImportProblem } from './types.js';
import { isRecord, parseJson } from './util.js';

/** MITRE's identity in ATT&CK data (created_by_ref of every ATT&CK object). */
export const MITRE_IDENTITY = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';
const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack', 'mobile-attack', 'ics-attack']);

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

const KillChainPhase = z.looseObject({ kill_chain_name: z.string(), phase_name: z.string() });

export const Named = z.looseObject({
  ...Common,
  name: z.string().min(1, { error: 'must not be empty' }),
  aliases: z.array(z.string()).optional(),
  x_mitre_aliases: z.array(z.string()).optional(),
  identity_class: z.string().optional(),
  first_seen: z.string().optional(),
  last_seen: z.string().optional(),
  kill_chain_phases: z.array(KillChainPhase).optional(),
  x_mitre_is_subtechnique: z.boolean().optional(),
  x_mitre_shortname: z.string().optional(),
  x_mitre_first_seen_citation: z.string().optional(),
});

export const Relationship = z.looseObject({
  ...Common,
  relationship_type: z.string().min(1),
  source_ref: StixId,
  target_ref: StixId,
});

export const Report = z.looseObject({
  ...Common,
  name: z.string().min(1),
  published: z.string().optional(),
  object_refs: z.array(z.string()).optional(),
});

const Base = z.looseObject({
  type: z.string().min(1, { error: 'must not be empty' }),
  id: z.string().min(1, { error: 'must not be empty' }),
});

export type NamedObject = z.infer<typeof Named>;
export type RelationshipObject = z.infer<typeof Relationship>;
export type ReportObject = z.infer<typeof Report>;

/** An object with where it was found, for messages ("file: objects[3] (intrusion-set--…)"). */
export interface Located {
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

export function isWithdrawn(o: Record<string, unknown>): boolean {
  return o.revoked === true || o.x_mitre_deprecated === true;
}

type WithRefs = { external_references?: { source_name: string; external_id?: string | undefined; url?: string | undefined }[] | undefined };

/** The ATT&CK id (G1017, S0001, T1059.001, M1026, C0001, TA0001) of an ATT&CK object. */
export function attackId(o: WithRefs): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCES.has(r.source_name) && r.external_id)?.external_id;
}

/** The object's page on attack.mitre.org. */
export function attackUrl(o: WithRefs): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCES.has(r.source_name) && r.url)?.url;
}

export function cveId(o: NamedObject): string | undefined {
  const fromRef = o.external_references?.find((r) => r.source_name.toLowerCase() === 'cve' && r.external_id)?.external_id;
  const candidate = fromRef ?? o.name;
  return /^CVE-\d{4}-\d{4,}$/i.test(candidate) ? candidate.toUpperCase() : undefined;
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** True for a document that looks like a STIX bundle (or a bare array of STIX objects). */
export function looksLikeStix(value: unknown): boolean {
  if (isRecord(value))
    return value.type === 'bundle' || (typeof value.type === 'string' && typeof value.id === 'string' && String(value.id).includes('--'));
  return (
    Array.isArray(value) && value.length > 0 && isRecord(value[0]) && typeof value[0].id === 'string' && String(value[0].id).includes('--')
  );
}

export interface ReadObjects {
  located: Located[];
  /** The STIX versions the files declare ("2.0", "2.1"). */
  specs: Set<string>;
  problems: ImportProblem[];
}

/** The objects of every file: a bundle, a bare array of objects, or one object. */
export function readStixObjects(files: readonly FeedFile[]): ReadObjects {
  const out: ReadObjects = { located: [], specs: new Set(), problems: [] };
  for (const file of files) {
    const parsed = parseJson(file);
    if (!parsed.ok) {
      out.problems.push(parsed.problem);
      continue;
    }
    const unpacked = unpack(parsed.value, file.display, out);
    if (!unpacked) continue;
    unpacked.objects.forEach((o, i) => {
      locate(o, `${unpacked.prefix}[${i}]`, file.display, out);
    });
  }
  return out;
}

function unpack(doc: unknown, display: string, out: ReadObjects): { objects: unknown[]; prefix: string } | undefined {
  if (isRecord(doc) && doc.type === 'bundle') {
    if (!Array.isArray(doc.objects)) {
      out.problems.push({ file: display, where: 'objects', message: 'a bundle must have an "objects" array' });
      return undefined;
    }
    if (typeof doc.spec_version === 'string') out.specs.add(doc.spec_version);
    return { objects: doc.objects, prefix: 'objects' };
  }
  if (Array.isArray(doc)) return { objects: doc, prefix: '' };
  if (isRecord(doc)) return { objects: [doc], prefix: '' };
  out.problems.push({ file: display, where: '', message: 'expected a STIX bundle ({"type": "bundle", "objects": [...]})' });
  return undefined;
}

function locate(o: unknown, where: string, display: string, out: ReadObjects): void {
  if (!isRecord(o)) {
    out.problems.push({ file: display, where, message: 'expected a STIX object' });
    return;
  }
  const base = Base.safeParse(o);
  if (!base.success) {
    for (const issue of base.error.issues)
      out.problems.push({ file: display, where: `${where}.${issuePath(issue.path)}`, message: issue.message });
    return;
  }
  if (typeof o.spec_version === 'string') out.specs.add(o.spec_version);
  out.located.push({ file: display, where: `${where} (${String(o.id)})`, value: o });
}

/** The same object may come in several files (a full bundle and a newer single object): the latest wins. */
export function latestById(located: readonly Located[]): Map<string, Located> {
  const byId = new Map<string, Located>();
  for (const l of located) {
    const prev = byId.get(String(l.value.id));
    if (!prev || String(l.value.modified ?? '') > String(prev.value.modified ?? '')) byId.set(String(l.value.id), l);
  }
  return byId;
}

/** Checks an object against its schema; its problems go to `problems`, named by file and path. */
export function checkObject<T>(schema: z.ZodType<T>, l: Located, problems: ImportProblem[]): T | undefined {
  const r = schema.safeParse(l.value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const sub = issuePath(issue.path);
    problems.push({ file: l.file, where: sub ? `${l.where}.${sub}` : l.where, message: issue.message });
  }
  return undefined;
}
