// One TypeScript entry point compiled into one ES module under dist/, for processes that
// production runs with plain node (the worker, the web server): no TypeScript loader, and
// every dependency stays in node_modules.
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');

export async function bundleEntry(entry, outfile) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@': root },
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`Built ${outfile}`);
}
