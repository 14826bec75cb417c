// Compiles the worker process into dist/worker.mjs. Production workers run it with plain
// node: less memory than a TypeScript loader, and no per-closure naming helpers on the hot path.
import { bundleEntry } from './lib/bundle-entry.mjs';

await bundleEntry('workers/main.ts', 'dist/worker.mjs');
