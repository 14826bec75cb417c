// Compiles the worker process into one ES module (dist/worker.mjs); dependencies stay in
// node_modules. Production workers run this with plain node: less memory than a
// TypeScript loader, and no per-closure naming helpers on the hot path.
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
await build({
  entryPoints: [path.join(root, 'workers/main.ts')],
  outfile: path.join(root, 'dist/worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  alias: { '@': root },
  sourcemap: true,
  logLevel: 'warning',
});
console.log('Built dist/worker.mjs');
