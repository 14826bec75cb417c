// Ferry's production web server: Next.js's request handler behind a plain HTTP server
// that decides, from the socket, which address each request comes from.
//
// `next start` keeps a client-sent X-Forwarded-For and only fills it from the socket when
// it is missing, so anything reading it there believes the client. This server computes
// the address before Next.js sees the request (FERRY_TRUSTED_PROXY_HOPS proxies trusted,
// none by default) and hands it on in a header of its own, replacing any copy the client
// sent (lib/auth/client-address.ts). With no trusted proxy the client's X-Forwarded-*
// headers are dropped too, so Next.js fills them from the socket and its own port.
//
// Compiled like the worker (scripts/build-web-server.mjs → dist/web-server.mjs) and run
// with plain node. `npm run dev` stays on `next dev`, which trusts nothing either: there
// every request counts as one unknown address.
//   node dist/web-server.mjs [--port 3000] [--hostname 0.0.0.0]
import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLIENT_ADDRESS_HEADER, markClientAddressTrusted, resolveClientAddress } from '@/lib/auth/client-address';
import { env } from '@/lib/env';
import { loadLocalEnvFile } from '@/lib/env-file';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } },
});
const port = Number(args.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[web] --port / PORT must be a port number, not ${args.port ?? process.env.PORT}`);
  process.exit(1);
}

// Before Next.js and React load: they pick their production builds from NODE_ENV.
Object.assign(process.env, { NODE_ENV: 'production' });
loadLocalEnvFile(root);
let trustedHops: number;
try {
  // The whole environment is checked now, not at the first request that needs it.
  trustedHops = env().FERRY_TRUSTED_PROXY_HOPS;
} catch (error) {
  console.error(`[web] ${(error as Error).message}`);
  process.exit(1);
}

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded', 'x-real-ip'];

/** Sets the client address header from the socket (and the trusted proxies), whatever the client sent. */
function stampClientAddress(request: IncomingMessage): void {
  const address = resolveClientAddress({ socketAddress: request.socket.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedHops });
  const dropped = new Set([CLIENT_ADDRESS_HEADER, ...(trustedHops === 0 ? FORWARDED : [])]);
  for (const name of dropped) delete request.headers[name];
  // Next.js reads request.headers; rawHeaders is cleaned as well so no reader sees the client's copy.
  const raw: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (!dropped.has(request.rawHeaders[i].toLowerCase())) raw.push(request.rawHeaders[i], request.rawHeaders[i + 1]);
  }
  request.rawHeaders.splice(0, request.rawHeaders.length, ...raw, CLIENT_ADDRESS_HEADER, address);
  request.headers[CLIENT_ADDRESS_HEADER] = address;
}

const { default: next } = await import('next');
const app = next({ dev: false, dir: root, port, hostname: args.hostname });
const handle = app.getRequestHandler();
await app.prepare();
markClientAddressTrusted();

const server = createServer((request, response) => {
  stampClientAddress(request);
  handle(request, response).catch((error: unknown) => {
    console.error('[web] unhandled error', error);
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on the server; it has been logged.', issues: [] } }));
  });
});
server.listen(port, args.hostname, () => {
  const where = args.hostname ?? 'localhost';
  console.log(`[web] Ferry on http://${where}:${port} (${trustedHops === 0 ? 'no proxy trusted: the socket address is the client' : `${trustedHops} trusted proxy hop(s)`})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[web] ${signal}: finishing open requests, then exiting`);
  // Requests under way get 10 s; idle keep-alive connections are closed at once.
  setTimeout(() => process.exit(0), 10_000).unref();
  server.closeIdleConnections();
  await new Promise((resolve) => server.close(resolve));
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
