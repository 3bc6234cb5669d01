/** STIX reports: each becomes an advisory about the entities it refers to. */
import { ENTITY_TYPES } from './stix-entities.js';
import { cleanStixText, type Located, type ReportObject } from './stix-objects.js';
import type { FeedRecord, ImportProblem } from './types.js';
import { datePart, versionOf } from './util.js';

export function reportRecord(
  located: Located,
  object: ReportObject,
  publisher: string,
  edition: string | undefined,
  identities: ReadonlyMap<string, string>,
): FeedRecord | ImportProblem {
  const description = object.description ? cleanStixText(object.description) : '';
  const url = object.external_references?.find((r) => r.url)?.url;
  const published = datePart(object.published) ?? datePart(object.modified) ?? datePart(object.created) ?? edition;
  if (!published) return { file: located.file, where: located.where, message: 'a report needs a published (or created) date' };
  return {
    key: `stix:${object.id}`,
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
  };
}
