import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { yamlErrorText } from '../knowledge/load.js';
import { AdvisorySchema } from '../model/schema.js';
import type { FactStore, NewAdvisory } from '../store/fact-store.js';

export type AdvisoryInput = { ok: true; advisories: NewAdvisory[] } | { ok: false; problems: string[] };

/**
 * Validates advisories from a YAML or JSON document (one advisory or a list), from a file or
 * a webhook body: each problem reads `where: path: problem`. Entity and source ids must exist.
 */
export function validateAdvisories(value: unknown, where: string, store: FactStore): AdvisoryInput {
  const items = Array.isArray(value) ? value : [value];
  const problems: string[] = [];
  const advisories: NewAdvisory[] = [];
  items.forEach((item, i) => {
    const prefix = Array.isArray(value) ? `[${i}]` : '';
    const parsed = AdvisorySchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = prefix + issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
        problems.push(`${where}: ${path.replace(/^\./, '') || '(document)'}: ${issue.message}`);
      }
      return;
    }
    const a = parsed.data;
    a.entities.forEach((id, j) => {
      if (!store.entity(id)) problems.push(`${where}: ${prefix}entities[${j}]: unknown entity "${id}"`);
    });
    a.sources.forEach((id, j) => {
      if (!store.source(id)) problems.push(`${where}: ${prefix}sources[${j}]: unknown source "${id}"`);
    });
    const rec: NewAdvisory = {
      id: a.id,
      title: a.title,
      publisher: a.publisher,
      published: a.published,
      summary: a.summary,
      entities: a.entities,
      severity: a.severity,
      sources: a.sources,
    };
    if (a.url) rec.url = a.url;
    if (a.tlp !== 'CLEAR') rec.tlp = a.tlp;
    advisories.push(rec);
  });
  return problems.length ? { ok: false, problems } : { ok: true, advisories };
}

/** Reads an advisory file (YAML or JSON; JSON is YAML) and validates it. */
export function readAdvisoryFile(path: string, store: FactStore): AdvisoryInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    return { ok: false, problems: doc.errors.map((e) => `${path}: line ${e.linePos?.[0].line ?? '?'}: ${yamlErrorText(e)}`) };
  }
  return validateAdvisories(doc.toJS(), path, store);
}
