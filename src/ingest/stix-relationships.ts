/**
 * STIX relationships: each becomes a claim on one end's entity. Most are said by their source
 * ("Volt Typhoon uses …"); ATT&CK's `mitigates` is said by the technique ("… is mitigated by"),
 * which is where a question about defending against it looks, and `subtechnique-of` makes a
 * sub-technique part of its technique.
 */
import type { Predicate } from '../model/schema.js';
import { ENTITY_TYPES } from './stix-entities.js';
import { cleanStixText, type Located, type RelationshipObject } from './stix-objects.js';
import type { FeedClaim, FeedRecord, SkippedItem } from './types.js';
import { versionOf } from './util.js';

const RELATION_PREDICATES: Record<string, Predicate> = {
  uses: 'uses',
  'attributed-to': 'attributed-to',
  targets: 'targets',
  compromises: 'targets',
  exploits: 'uses',
  'authored-by': 'operated-by',
  owns: 'operates',
};
/** Relationship types that say nothing a person asks the bot about (`revoked-by` is read into the revoked object's facts). */
const IGNORED_RELATIONSHIPS = new Set(['indicates', 'detects', 'revoked-by', 'based-on', 'investigates', 'remediates']);

/** What the importer knows of any object by id: relationship sentences name both ends. */
export type NameOf = (stixId: string) => { name: string; type: string; attackId?: string } | undefined;

function labelOf(nameOf: NameOf, id: string): string | undefined {
  const n = nameOf(id);
  return n ? `${n.name}${n.attackId ? ` (${n.attackId})` : ''}` : undefined;
}

/** The claim and the entity it is said of. */
function claimOf(object: RelationshipObject, nameOf: NameOf, description: string): { subject: string; claim: FeedClaim } | undefined {
  const kind = object.relationship_type;
  const source = nameOf(object.source_ref)?.name;
  const target = nameOf(object.target_ref);
  const targetName = labelOf(nameOf, object.target_ref);
  const text = description || (source && targetName ? `${source} ${kind.replace(/-/g, ' ')} ${targetName}.` : '');
  if (kind === 'mitigates') {
    const mitigation = labelOf(nameOf, object.source_ref);
    if (!mitigation) return undefined;
    return {
      subject: object.target_ref,
      claim: {
        predicate: 'mitigated-by',
        text: description ? `${mitigation}: ${description}` : `${mitigation} mitigates ${targetName ?? 'this technique'}.`,
        object: { record: `stix:${object.source_ref}` },
        keepWithoutObject: true,
      },
    };
  }
  if (kind === 'subtechnique-of') {
    const sub = labelOf(nameOf, object.source_ref);
    if (!sub || !targetName) return undefined;
    return {
      subject: object.source_ref,
      claim: { predicate: 'part-of', text: `${sub} is a sub-technique of ${targetName}.`, object: { record: `stix:${object.target_ref}` } },
    };
  }
  if (!text) return undefined;
  // An attack pattern is a technique: "X uses T1190" is a statement about X's tradecraft, linked to the technique when it is known.
  if (object.target_ref.startsWith('attack-pattern--'))
    return {
      subject: object.source_ref,
      claim: {
        predicate: 'tooling',
        text: description && targetName && !description.includes(target!.name) ? `${description} (technique: ${targetName})` : text,
        object: { record: `stix:${object.target_ref}` },
        keepWithoutObject: true,
      },
    };
  return {
    subject: object.source_ref,
    claim: {
      predicate: RELATION_PREDICATES[kind] ?? 'linked-to',
      text,
      object: { record: `stix:${object.target_ref}` },
      keepWithoutObject: true,
    },
  };
}

/** The record of one relationship, or why it is skipped. */
export function relationshipRecord(located: Located, object: RelationshipObject, nameOf: NameOf): FeedRecord | SkippedItem {
  const what = `${located.file}: ${located.where}`;
  const kind = object.relationship_type;
  if (IGNORED_RELATIONSHIPS.has(kind)) return { what, reason: `relationship "${kind}" is not imported` };
  const sourceType = object.source_ref.split('--')[0]!;
  if (!ENTITY_TYPES[sourceType]) return { what, reason: `relationship from a ${sourceType}, which is not imported` };
  const description = object.description ? cleanStixText(object.description) : '';
  const said = claimOf(object, nameOf, description);
  if (!said) return { what, reason: `relationship to ${object.target_ref}, which is not in the file, and without a description` };
  return {
    key: `stix:${object.id}`,
    version: object.modified ?? versionOf(object),
    label: `${nameOf(object.source_ref)?.name ?? object.source_ref} ${kind.replace(/-/g, ' ')} ${labelOf(nameOf, object.target_ref) ?? object.target_ref}`,
    subject: { record: `stix:${said.subject}` },
    aliases: [],
    claims: [said.claim],
  };
}
