import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The sub-folders of knowledge/ that hold knowledge files. */
export const KNOWLEDGE_SUBFOLDERS = ['sources', 'entities', 'sanctions', 'advisories'] as const;

/**
 * A cheap fingerprint of the knowledge files (names, sizes, modification times) that notices a
 * change without reading or parsing anything; kept apart from the loader so that answering a
 * question never loads the YAML parser or the schemas unless the files changed.
 */
export function fingerprintKnowledge(dir: string): string {
  const hash = createHash('sha256');
  for (const folder of KNOWLEDGE_SUBFOLDERS) {
    let names: string[];
    try {
      names = readdirSync(join(dir, folder)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.ya?ml$/.test(name)) continue;
      // An entry that cannot be read (a symbolic link loop…) still counts, as such: the loader names it.
      let stamp: string;
      try {
        const s = statSync(join(dir, folder, name));
        stamp = `${s.size}\0${s.mtimeMs}`;
      } catch (err) {
        stamp = `unreadable:${(err as NodeJS.ErrnoException).code ?? 'error'}`;
      }
      hash.update(`${folder}/${name}\0${stamp}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}
