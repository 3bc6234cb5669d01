/** STIX objects that become entities: intrusion sets, threat actors, malware, tools, campaigns, identities, vulnerabilities. */
import { normalizeName } from '../base/normalize.js';
import { attackId, cleanStixText, cveId, type NamedObject } from './stix-objects.js';
import type { FeedAlias, FeedClaim, FeedRecord } from './types.js';
import { datePart, firstSentences, slug, versionOf } from './util.js';

/** The entity type each STIX type becomes, and the types of existing entities it may attach to. */
export const ENTITY_TYPES: Record<string, { type: string; attach: string[] }> = {
  'intrusion-set': { type: 'threat-actor', attach: ['threat-actor'] },
  'threat-actor': { type: 'threat-actor', attach: ['threat-actor'] },
  malware: { type: 'malware', attach: ['malware', 'botnet', 'tool'] },
  tool: { type: 'tool', attach: ['tool', 'malware'] },
  campaign: { type: 'campaign', attach: ['campaign', 'incident'] },
  identity: { type: 'organization', attach: ['organization', 'government-body'] },
  vulnerability: { type: 'vulnerability', attach: ['vulnerability'] },
  'attack-pattern': { type: 'technique', attach: ['technique'] },
  'course-of-action': { type: 'mitigation', attach: ['mitigation'] },
};

/** Ids already given in this import, so that two objects of one name get two entities. */
export type UsedIds = Set<string>;

function entityId(object: NamedObject, stixId: string, usedIds: UsedIds): string {
  const ext = attackId(object);
  const cve = object.type === 'vulnerability' ? cveId(object) : undefined;
  let id = cve
    ? cve.toLowerCase()
    : ext
      ? `attack-${ext.toLowerCase().replace(/\./g, '-')}`
      : `stix-${slug(object.name) || stixId.slice(-12)}`;
  if (usedIds.has(id)) id = `${id}-${stixId.slice(-8)}`;
  usedIds.add(id);
  return id;
}

function aliasesOf(object: NamedObject, ext: string | undefined, cve: string | undefined): FeedAlias[] {
  const aliases: FeedAlias[] = [];
  const nameNorm = normalizeName(object.name);
  for (const a of [...(object.aliases ?? []), ...(object.x_mitre_aliases ?? [])]) {
    if (a.trim() && normalizeName(a) !== nameNorm) aliases.push({ name: a.trim(), kind: 'name' });
  }
  if (ext) aliases.push({ name: ext, kind: 'identifier', usedBy: 'MITRE ATT&CK' });
  if (cve && normalizeName(cve) !== nameNorm) aliases.push({ name: cve, kind: 'identifier' });
  return aliases;
}

function claimsOf(object: NamedObject, description: string, summary: string, publisher: string): FeedClaim[] {
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
  return claims;
}

/** The record of one named object: its entity, its aliases (the ATT&CK id among them) and what it says. */
export function entityRecord(stixId: string, object: NamedObject, publisher: string, usedIds: UsedIds, parent?: string): FeedRecord {
  const mapping = ENTITY_TYPES[object.type]!;
  const ext = attackId(object);
  const cve = object.type === 'vulnerability' ? cveId(object) : undefined;
  const person = object.type === 'identity' && object.identity_class === 'individual';
  const description = object.description ? cleanStixText(object.description) : '';
  const summary = description
    ? firstSentences(description)
    : `${object.name} is ${article(object.type)} ${object.type.replace(/-/g, ' ')} in ${publisher} data${ext ? ` (${ext})` : ''}.`;
  const identifiers = [ext, cve].filter((x): x is string => Boolean(x));
  // A sub-technique is named as ATT&CK shows it, "Obtain Capabilities: Malware": alone its name is often a common word.
  const name = parent ? `${parent}: ${object.name}` : object.name;
  return {
    key: `stix:${stixId}`,
    version: object.modified ?? versionOf(object),
    label: `${name}${ext ? ` (${ext})` : ''}`,
    entity: {
      id: entityId(object, stixId, usedIds),
      type: person ? 'person' : mapping.type,
      name,
      summary,
      ...(identifiers.length ? { identifiers } : {}),
      matchNames: [name],
      attachTypes: person ? ['person'] : mapping.attach,
    },
    aliases: aliasesOf(object, ext, cve),
    claims: claimsOf(object, description, summary, publisher),
  };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
