/**
 * The MISP galaxy's threat-actor cluster (clusters/threat-actor.json from MISP/misp-galaxy): one
 * JSON document { name, type: "threat-actor", uuid, version, values: [...] }, each value an actor
 * { value, uuid, description?, meta? } whose `meta` keys vary: synonyms, country, refs,
 * name-attribution ("NAME:uuid", which vendor uses which name), cfr-suspected-state-sponsor.
 * Licensed CC0 1.0 or BSD-2-Clause.
 *
 * An actor enriches the entity that carries its ATT&CK id (a "G0006" among its names) or, failing
 * that, its main name. Synonyms are aliases only: the same synonym names several clusters, an
 * ambiguity for the resolver to ask back about, never a reason to merge two actors.
 */
import * as z from 'zod';
import { normalizeName } from '../base/normalize.js';
import type { FeedClaim, FeedFile, FeedRecord, ImportProblem, ParseResult } from './types.js';
import { firstSentences, isRecord, parseJson, sha256, slug, versionOf } from './util.js';

export const MISP_PUBLISHER = 'MISP Project (misp-galaxy)';
const MISP_URL = 'https://github.com/MISP/misp-galaxy/blob/main/clusters/threat-actor.json';
const ATTACK_GROUP_ID = /^G\d{4}$/;

const Strings = z.array(z.string()).catch([]);

const ActorSchema = z.object({
  value: z.string().trim().min(1, 'must name the actor'),
  uuid: z.string().min(1, 'must be the actor’s uuid'),
  description: z.string().optional(),
  meta: z
    .looseObject({
      synonyms: Strings.optional(),
      country: z.string().optional().catch(undefined),
      refs: Strings.optional(),
      'name-attribution': Strings.optional(),
      'cfr-suspected-state-sponsor': z.string().optional().catch(undefined),
    })
    .optional(),
});
type Actor = z.infer<typeof ActorSchema>;

/** True for a document that looks like a MISP galaxy cluster of threat actors. */
export function looksLikeMispGalaxy(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.values) && value.type === 'threat-actor' && 'uuid' in value;
}

export function parseMispGalaxy(file: FeedFile): ParseResult {
  const parsed = parseJson(file);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const doc = parsed.value;
  if (!looksLikeMispGalaxy(doc) || !isRecord(doc))
    return {
      ok: false,
      problems: [{ file: file.display, where: '', message: 'expected a MISP galaxy cluster with "type": "threat-actor" and "values"' }],
    };
  const problems: ImportProblem[] = [];
  const actors: Actor[] = [];
  const seen = new Map<string, number>();
  for (const [i, raw] of (doc.values as unknown[]).entries()) {
    const result = ActorSchema.safeParse(raw);
    const name = isRecord(raw) && typeof raw.value === 'string' ? ` (${raw.value})` : '';
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ file: file.display, where: `values[${i}]${name}.${issue.path.join('.')}`, message: issue.message });
      continue;
    }
    const before = seen.get(result.data.uuid);
    if (before !== undefined) {
      problems.push({ file: file.display, where: `values[${i}]${name}`, message: `uuid ${result.data.uuid} is also values[${before}]` });
      continue;
    }
    seen.set(result.data.uuid, i);
    actors.push(result.data);
  }
  if (problems.length > 0) return { ok: false, problems };
  const version = typeof doc.version === 'number' ? doc.version : undefined;
  return {
    ok: true,
    feed: {
      format: 'misp-galaxy',
      file: file.display,
      sha256: sha256([file.text]),
      publisher: MISP_PUBLISHER,
      title: `MISP galaxy threat actors${version !== undefined ? `, version ${version}` : ''} (CC0 1.0 or BSD-2-Clause)`,
      url: MISP_URL,
      records: actors.map(actorRecord),
      skipped: [],
      withdrawn: [],
    },
  };
}

/** "APT1:da5cdcd1-…" → "APT1": the name, without the uuid of whoever uses it. */
function attributedName(entry: string): string {
  return entry.replace(/:[0-9a-f-]{36}$/i, '').trim();
}

function actorRecord(a: Actor): FeedRecord {
  const meta = a.meta ?? {};
  const names = [...(meta.synonyms ?? []), ...(meta['name-attribution'] ?? []).map(attributedName)];
  const own = normalizeName(a.value);
  const aliases = [...new Map(names.filter((n) => n && normalizeName(n) !== own).map((n) => [normalizeName(n), n])).values()];
  const attackIds = aliases.filter((n) => ATTACK_GROUP_ID.test(n));
  const sponsor = meta['cfr-suspected-state-sponsor'];
  const described = a.description?.trim() ? firstSentences(a.description.trim()) : '';
  const claims: FeedClaim[] = [];
  if (described)
    claims.push({
      predicate: 'description',
      text: `The MISP galaxy describes ${a.value}: ${described}`,
      notOnCurated: true,
      onlyWhenAttached: true,
    });
  if (sponsor)
    claims.push({
      predicate: 'statement',
      text: `The MISP galaxy, citing the Council on Foreign Relations, lists ${sponsor} as ${a.value}'s suspected state sponsor.`,
      notOnCurated: true,
    });
  else if (meta.country)
    claims.push({ predicate: 'statement', text: `The MISP galaxy gives ${meta.country} as ${a.value}'s country.`, notOnCurated: true });
  return {
    key: `misp:${a.uuid}`,
    version: versionOf(a),
    label: a.value,
    entity: {
      id: `misp-${slug(a.value) || a.uuid}`,
      type: 'threat-actor',
      name: a.value,
      summary: described || `${a.value} is a threat actor in the MISP galaxy.`,
      identifiers: attackIds,
      matchNames: [a.value],
      attachTypes: ['threat-actor'],
    },
    aliases: aliases.map((name) => ({ name, kind: 'name', usedBy: 'listed by the MISP galaxy' })),
    claims,
  };
}
