import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  const core = files(join(ROOT, 'src'));

  it('keeps platform SDKs out of the core', () => {
    for (const file of core) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"](@slack\/|botbuilder|botframework|express)/);
    }
  });

  it('reads process.env only in the config module', () => {
    for (const file of core) {
      if (file.endsWith('config.ts')) continue;
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
