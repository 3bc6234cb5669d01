import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The layers as docs/architecture.md lists them, top first: name and folder. */
function layersFromDocs(): { name: string; folder: string }[] {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const block = /```layers\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  return block
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [name = '', folder = ''] = l.trim().split(/\s+/);
      return { name, folder: folder.replace(/\/$/, '') };
    });
}

/** Every relative import of a file, static or dynamic, resolved to a repository path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    out.push(relative(ROOT, resolve(dirname(file), m[1]!)));
  }
  return out;
}

describe('architecture', () => {
  const layers = layersFromDocs();
  const layerOf = (path: string) => layers.findIndex((l) => path === l.folder || path.startsWith(`${l.folder}/`));
  const core = files(join(ROOT, 'src'));

  it('draws every folder of the core and the edge as a layer', () => {
    expect(layers.map((l) => l.name)).toEqual(expect.arrayContaining(['cli', 'adapters', 'base']));
    for (const file of [...core, ...files(join(ROOT, 'adapters')), ...files(join(ROOT, 'cli'))]) {
      expect(layerOf(relative(ROOT, file)), `${relative(ROOT, file)} is in no layer of docs/architecture.md`).toBeGreaterThanOrEqual(0);
    }
  });

  it('has no import that runs back up a layer', () => {
    const upward: string[] = [];
    for (const file of [...core, ...files(join(ROOT, 'adapters')), ...files(join(ROOT, 'cli'))]) {
      const from = relative(ROOT, file);
      const own = layerOf(from);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to < 0) upward.push(`${from} imports ${target}, which is in no layer`);
        // Layers are listed top first: a lower index is a higher layer.
        else if (to < own) upward.push(`${from} (${layers[own]!.name}) imports ${target} (${layers[to]!.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps platform SDKs out of the core', () => {
    for (const file of core) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"](@slack\/|botbuilder|botframework|express)/);
    }
  });

  it('reads process.env only in the config module', () => {
    for (const file of core) {
      if (file.endsWith(join('app', 'config.ts'))) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/process\.env/);
    }
  });

  it('never reads the shared folder outside the repository', () => {
    for (const file of [...core, ...files(join(ROOT, 'adapters')), ...files(join(ROOT, 'test'))]) {
      if (file.endsWith('architecture.test.ts')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\.\.\/shared|\/work\/shared/);
    }
  });
});
