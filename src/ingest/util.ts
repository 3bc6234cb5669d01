import { createHash } from 'node:crypto';
import type { FeedFile, ImportProblem } from './types.js';

export function sha256(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** A short content hash, for record versions of feeds without a modification time. */
export function versionOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** kebab-case id fragment: "Volt Typhoon" → "volt-typhoon"; letters of other scripts are dropped. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** 1-based line and column of a character offset. */
export function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Parses JSON, or returns the problem with its line and column (Node reports a character
 * position; the line is what a person can find in an editor).
 */
export function parseJson(file: FeedFile): { ok: true; value: unknown } | { ok: false; problem: ImportProblem } {
  try {
    return { ok: true, value: JSON.parse(file.text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const where = pos ? lineAt(file.text, Number(pos[1])) : undefined;
    const clean = message
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, "[^"]*\.\.\." is not valid JSON$/, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    return {
      ok: false,
      problem: {
        file: file.display,
        where: where ? `line ${where.line}, column ${where.column}` : '',
        message: `not valid JSON: ${clean}`,
      },
    };
  }
}

/** "2025-04-30T13:27:45.018Z" → "2025-04-30"; undefined for anything that is not a date. */
export function datePart(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return m ? m[1] : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Cuts text at a sentence end near `max` characters. */
export function firstSentences(text: string, max = 400): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.)'));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
}
