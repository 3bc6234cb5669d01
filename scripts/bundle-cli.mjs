// Bundles the CLI into a few files so that `threatbrief ask` starts fast: Node's ES module
// loader costs about 50 ms for the ~30 small files tsc emits. Code split keeps the knowledge
// loader (YAML parser, schemas) in a chunk that loads only when the knowledge files changed.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The native addon stays external, and so do the service commands (src/cli-service.ts and the
  // adapters): they load from tsc's output, so that a process never holds two copies of a module.
  external: ['better-sqlite3', '../adapters/*', '../src/*'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/bundle/cli.js', 0o755);
