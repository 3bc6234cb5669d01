/** STIX relationships: each becomes a claim on its source object's entity. */
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

/** What the importer knows of any object by id: relationship sentences name both ends. */
export type NameOf = (stixId: string) => { name: string; type: string; attackId?: string } | undefined;

/** The record of one relationship, or why it is skipped. */
export function relationshipRecord(located: Located, object: RelationshipObject, nameOf: NameOf): FeedRecord | SkippedItem {
  const what = `${located.file}: ${located.where}`;
  const kind = object.relationship_type;
  if (IGNORED_RELATIONSHIPS.has(kind)) return { what, reason: `relationship "${kind}" is not imported` };
  const sourceType = object.source_ref.split('--')[0]!;
  if (!ENTITY_TYPES[sourceType]) return { what, reason: `relationship from a ${sourceType}, which is not imported` };
  const targetType = object.target_ref.split('--')[0]!;
  const source = nameOf(object.source_ref)?.name;
  const target = nameOf(object.target_ref);
  const description = object.description ? cleanStixText(object.description) : '';
  const targetName = target ? `${target.name}${target.attackId ? ` (${target.attackId})` : ''}` : undefined;
  const text = description || (source && targetName ? `${source} ${kind.replace(/-/g, ' ')} ${targetName}.` : '');
  if (!text) return { what, reason: `relationship to ${object.target_ref}, which is not in the file, and without a description` };
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
  return {
    key: `stix:${object.id}`,
    version: object.modified ?? versionOf(object),
    label: `${source ?? object.source_ref} ${kind.replace(/-/g, ' ')} ${targetName ?? object.target_ref}`,
    subject: { record: `stix:${object.source_ref}` },
    aliases: [],
    claims: [claim],
  };
}
