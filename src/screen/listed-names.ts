import type { KnowledgeView } from '../access/knowledge-view.js';
import type { ListedName } from './screener.js';

/** The names (primary and aliases) of the entities with a list entry that a conversation may see. */
export function listedNames(view: KnowledgeView): ListedName[] {
  const listed = view.listedTargets();
  const out: ListedName[] = [];
  for (const row of view.names().all()) {
    if (!listed.has(row.entityId)) continue;
    out.push({
      entityId: row.entityId,
      name: row.name,
      type: row.type ?? 'organization',
      primary: row.canonical,
      weak: row.weak,
      ...(row.usedBy ? { usedBy: row.usedBy } : {}),
    });
  }
  return out;
}
