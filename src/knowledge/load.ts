import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { unreadable } from '../base/io.js';
import { normalizeName } from '../base/normalize.js';
import {
  type Advisory,
  type Entity,
  KNOWLEDGE_FOLDERS,
  type KnowledgeBase,
  type KnowledgeFolder,
  type Sanction,
  type Source,
} from '../model/schema.js';
import { KNOWLEDGE_SUBFOLDERS } from './fingerprint.js';

/** One problem in one knowledge file, printed as `file: path: problem`. */
export interface KnowledgeProblem {
  file: string;
  path: string;
  message: string;
}

/** The first line of a YAML parser error, without the position (given separately as the line). */
export function yamlErrorText(err: Error): string {
  return (err.message.split('\n')[0] || 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}: ${p.path || '(file)'}: ${p.message}`;
}

export type { KnowledgeBase };

export type LoadResult = { ok: true; kb: KnowledgeBase } | { ok: false; problems: KnowledgeProblem[] };

interface KnowledgeFile {
  folder: KnowledgeFolder;
  /** Path relative to the knowledge directory's parent, as shown in messages (knowledge/entities/x.yaml). */
  display: string;
  absolute: string;
}

function listFiles(dir: string): KnowledgeFile[] {
  const files: KnowledgeFile[] = [];
  const base = join(dir, '..');
  for (const folder of KNOWLEDGE_SUBFOLDERS) {
    let names: string[];
    try {
      names = readdirSync(join(dir, folder));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const absolute = join(dir, folder, name);
      files.push({ folder, absolute, display: relative(base, absolute) });
    }
  }
  return files;
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Reads, validates and cross-checks every file under `dir`; never throws for bad content. */
export function loadKnowledge(dir: string): LoadResult {
  const problems: KnowledgeProblem[] = [];
  const files = listFiles(dir);
  const hash = createHash('sha256');
  const parsed: Record<KnowledgeFolder, { file: KnowledgeFile; value: unknown }[]> = {
    sources: [],
    entities: [],
    sanctions: [],
    advisories: [],
  };
  if (files.length === 0) {
    return { ok: false, problems: [{ file: dir, path: '', message: 'no knowledge files found' }] };
  }

  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.absolute, 'utf8');
    } catch (err) {
      problems.push({ file: file.display, path: '', message: `cannot read the file: ${unreadable(err)}` });
      continue;
    }
    hash.update(`${file.display}\0${text}\0`);
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0];
        problems.push({ file: file.display, path: line ? `line ${line.line}` : '', message: yamlErrorText(err) });
      }
      continue;
    }
    const schema: z.ZodType = KNOWLEDGE_FOLDERS[file.folder];
    const result = schema.safeParse(doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ file: file.display, path: issuePath(issue.path), message: issue.message });
      }
      continue;
    }
    const value = result.data as { id: string };
    const expected = file.absolute.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
    if (value.id !== expected) {
      problems.push({ file: file.display, path: 'id', message: `id "${value.id}" must match the file name "${expected}"` });
    }
    parsed[file.folder].push({ file, value });
  }

  const sourceIds = new Set<string>();
  const entityIds = new Set<string>();
  const allIds = new Map<string, string>();
  for (const folder of Object.keys(parsed) as KnowledgeFolder[]) {
    for (const { file, value } of parsed[folder]) {
      const id = (value as { id: string }).id;
      const previous = allIds.get(`${folder}:${id}`);
      if (previous) problems.push({ file: file.display, path: 'id', message: `duplicate id "${id}", also in ${previous}` });
      allIds.set(`${folder}:${id}`, file.display);
      if (folder === 'sources') sourceIds.add(id);
      if (folder === 'entities') entityIds.add(id);
    }
  }

  const checkRefs = (file: KnowledgeFile, path: string, ids: readonly string[] | undefined, known: Set<string>, kind: string) => {
    ids?.forEach((id, i) => {
      if (!known.has(id)) problems.push({ file: file.display, path: `${path}[${i}]`, message: `unknown ${kind} "${id}"` });
    });
  };
  const checkRef = (file: KnowledgeFile, path: string, id: string | undefined, kind: string) => {
    if (id !== undefined && !entityIds.has(id)) problems.push({ file: file.display, path, message: `unknown ${kind} "${id}"` });
  };

  const aliasOwner = new Map<string, { entity: string; file: string }>();
  for (const { file, value } of parsed.entities) {
    const e = value as Entity;
    checkRefs(file, 'summary_sources', e.summary_sources, sourceIds, 'source');
    const names = [{ name: e.name, path: 'name' }, ...e.aliases.map((a, i) => ({ name: a.name, path: `aliases[${i}].name` }))];
    for (const { name, path } of names) {
      const norm = normalizeName(name);
      const owner = aliasOwner.get(norm);
      if (owner && owner.entity !== e.id) {
        problems.push({ file: file.display, path, message: `name "${name}" is already used by entity "${owner.entity}" (${owner.file})` });
      } else if (!owner) aliasOwner.set(norm, { entity: e.id, file: file.display });
    }
    for (const [i, a] of e.aliases.entries()) checkRefs(file, `aliases[${i}].sources`, a.sources, sourceIds, 'source');
    e.claims.forEach((c, i) => {
      checkRefs(file, `claims[${i}].sources`, c.sources, sourceIds, 'source');
      checkRef(file, `claims[${i}].object`, c.object, 'entity');
    });
  }
  for (const { file, value } of parsed.sanctions) {
    const s = value as Sanction;
    checkRef(file, 'target', s.target, 'entity');
    checkRef(file, 'designated_by', s.designated_by, 'entity');
    for (const [i, id] of s.concerning.entries()) checkRef(file, `concerning[${i}]`, id, 'entity');
    checkRefs(file, 'sources', s.sources, sourceIds, 'source');
  }
  for (const { file, value } of parsed.advisories) {
    const a = value as Advisory;
    checkRefs(file, 'entities', a.entities, entityIds, 'entity');
    checkRefs(file, 'sources', a.sources, sourceIds, 'source');
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    kb: {
      version: hash.digest('hex').slice(0, 12),
      sources: parsed.sources.map((p) => p.value as Source),
      entities: parsed.entities.map((p) => p.value as Entity),
      sanctions: parsed.sanctions.map((p) => p.value as Sanction),
      advisories: parsed.advisories.map((p) => p.value as Advisory),
    },
  };
}
