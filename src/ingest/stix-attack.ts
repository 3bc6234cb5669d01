/**
 * What ATT&CK says of its objects beyond names and descriptions: the kind of object each
 * ATT&CK id names, the tactics of a technique (from its kill-chain phases), its page, and for
 * revoked and deprecated objects their status and replacement (from `revoked-by`
 * relationships), so that a withdrawn id is answered with what replaced it, never as current.
 */
import { attackId, attackUrl, type Located, type NamedObject } from './stix-objects.js';
import type { FeedAttack, FeedRecord } from './types.js';
import { versionOf } from './util.js';

const KINDS: Record<string, FeedAttack['kind']> = {
  'intrusion-set': 'group',
  malware: 'software',
  tool: 'software',
  'attack-pattern': 'technique',
  'course-of-action': 'mitigation',
  campaign: 'campaign',
  'x-mitre-tactic': 'tactic',
};

/** ATT&CK's kill chains (Enterprise, Mobile, ICS). */
const ATTACK_KILL_CHAINS = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);

/** Tactic names by short name ("initial-access" → "Initial Access"), from the bundle's x-mitre-tactic objects. */
export function tacticNames(byId: ReadonlyMap<string, Located>): Map<string, string> {
  const names = new Map<string, string>();
  for (const l of byId.values()) {
    const v = l.value;
    if (v.type === 'x-mitre-tactic' && typeof v.x_mitre_shortname === 'string' && typeof v.name === 'string')
      names.set(v.x_mitre_shortname, v.name);
  }
  return names;
}

/** A technique's tactics by name; a phase the bundle has no tactic object for is spelt out from its short name. */
function tacticsOf(object: NamedObject, names: ReadonlyMap<string, string>): string[] {
  const phases = (object.kill_chain_phases ?? []).filter((p) => ATTACK_KILL_CHAINS.has(p.kill_chain_name));
  return [
    ...new Set(phases.map((p) => names.get(p.phase_name) ?? p.phase_name.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()))),
  ];
}

export type Replacements = ReadonlyMap<string, { id: string; name: string; record: string }>;

/** What each revoked object was replaced by, from the `revoked-by` relationships. */
export function replacementsOf(
  relationships: readonly { object: { relationship_type: string; source_ref: string; target_ref: string } }[],
  nameOf: (stixId: string) => { name: string; attackId?: string } | undefined,
): Map<string, { id: string; name: string; record: string }> {
  const out = new Map<string, { id: string; name: string; record: string }>();
  for (const { object } of relationships) {
    if (object.relationship_type !== 'revoked-by') continue;
    const target = nameOf(object.target_ref);
    if (target?.attackId) out.set(object.source_ref, { id: target.attackId, name: target.name, record: `stix:${object.target_ref}` });
  }
  return out;
}

/** The ATT&CK facts of an object with an ATT&CK id, or undefined for other objects. */
export function attackFacts(
  object: NamedObject,
  tactics: ReadonlyMap<string, string>,
  replacements: Replacements,
  status: FeedAttack['status'],
): FeedAttack | undefined {
  const id = attackId(object);
  const kind = KINDS[object.type];
  if (!id || !kind) return undefined;
  const url = attackUrl(object);
  const replacedBy = replacements.get(object.id);
  return {
    id,
    kind,
    name: object.name,
    ...(url ? { url } : {}),
    ...(kind === 'technique' ? { tactics: tacticsOf(object, tactics) } : {}),
    status,
    ...(replacedBy ? { replacedBy } : {}),
  };
}

/**
 * The record of a withdrawn ATT&CK object: only its ATT&CK facts (no entity, no statements), so
 * that a question naming it learns that it was revoked or deprecated and what replaced it.
 */
export function withdrawnRecord(stixId: string, object: NamedObject, attack: FeedAttack): FeedRecord {
  return {
    key: `stix-withdrawn:${stixId}`,
    version: object.modified ?? versionOf(object),
    label: `${object.name} (${attack.id}, ${attack.status})`,
    aliases: [],
    claims: [],
    attack,
  };
}
