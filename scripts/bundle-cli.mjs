// Bundles the CLI into a few files so that `threatbrief ask` starts fast: Node's ES module
// loader costs about 50 ms for the ~30 small files tsc emits. Code splitting keeps what `ask`
// does not need (the knowledge loader, the service and its adapters) in chunks loaded on demand;
// all of our code is in the bundle, so a process never holds two copies of a module.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  // The answer worker and the knowledge loader are entries of their own: the service starts them
  // as dist/bundle/bot-worker.js and dist/bundle/load-off-thread.js.
  entryPoints: {
    threatbrief: 'cli/threatbrief.ts',
    'bot-worker': 'adapters/bot-worker.ts',
    'load-off-thread': 'src/knowledge/load-off-thread.ts',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages stay external: they load from node_modules as usual (the SQLite addon among them),
  // except zod: every command needs it, and loading its ~95 ES module files from node_modules
  // cost `ask` more than a third of its start; bundled, it is one more chunk.
  external: Object.keys(pkg.dependencies).filter((name) => name !== 'zod'),
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/bundle/threatbrief.js', 0o755);
