// Compiles Ferry's web server (server/web-server.ts) into one ES module,
// dist/web-server.mjs, like scripts/build-worker.mjs does for the worker: production runs
// it with plain node, no TypeScript loader. Next.js itself and every other dependency stay
// in node_modules; the Next.js app is built separately by `next build`.
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
await build({
  entryPoints: [path.join(root, 'server/web-server.ts')],
  outfile: path.join(root, 'dist/web-server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  alias: { '@': root },
  sourcemap: true,
  logLevel: 'warning',
});
console.log('Built dist/web-server.mjs');
