// Compiles Ferry's web server (server/web-server.ts) into dist/web-server.mjs; the Next.js
// app it serves is built separately by `next build`.
import { bundleEntry } from './lib/bundle-entry.mjs';

await bundleEntry('server/web-server.ts', 'dist/web-server.mjs');
