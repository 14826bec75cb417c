import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { can, permissionGrants, type Permission } from '../lib/auth/roles';
import { credentialsFor, type DemoRole } from './fixtures/auth';
import { bodyArbitrary, encodeSegment, paramArbitrary, queryArbitrary, type FuzzBody, type FuzzVocabulary, type JsonSchema } from './fixtures/fuzz-values';
import { createFuzzWorld, type FuzzWorld } from './fixtures/fuzz-world';
import { listRouteFiles, loadRouteCatalog, type RouteCatalogEntry, type RouteMethodSpec } from './fixtures/route-catalog';

/**
 * No route answers 500, whatever the body, path parameters or query string. Every route
 * file under app/api (found when the test loads) gets, per exported method and per role
 * (and signed out), requests generated from its own zod schemas: schema-shaped values,
 * known-good examples broken in one to three places (wrong types, missing fields, wrong
 * arity, hostile text), and hostile values alone. Every answer must be below 500 (502
 * `connection_failed` is how a route says the database it needs cannot be reached), and
 * every 4xx must be the error JSON (code and message).
 *
 * Runs are seeded: FUZZ_SEED changes the base seed, FUZZ_RUNS the runs per route, method
 * and permitted role (default 50), FUZZ_SHRINK=1 shrinks a failure to a small example,
 * FUZZ_STATS=1 prints how many answers of each status every route gave.
 */

const baseSeed = Number(process.env.FUZZ_SEED ?? 20_260_611);
const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 50);
const shrink = process.env.FUZZ_SHRINK === '1';
const roles = ['admin', 'analyst', 'viewer'] as const satisfies readonly DemoRole[];
type Who = DemoRole | 'anonymous';


function runsFor(who: Who, permission: string): number {
  if (permission === 'public') return who === 'admin' ? runsPerRoute : Math.ceil(runsPerRoute / 4);
  if (who === 'anonymous') return 2;
  // Unknown permission names (none today) get full runs rather than none.
  const allowed = permission in permissionGrants ? can(who, permission as Permission) : true;
  if (!allowed) return 3;
  return who === 'admin' ? runsPerRoute : Math.ceil(runsPerRoute / 3);
}

/** A stable 31-bit seed per route, method and role. */
function seedFor(...parts: string[]): number {
  let hash = baseSeed | 0;
  for (const char of parts.join('|')) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash & 0x7fffffff;
}

let world: FuzzWorld;
let catalog: Map<string, RouteCatalogEntry>;
const contexts = new Map<Who, APIRequestContext>();

async function signIn(who: DemoRole): Promise<void> {
  const context = contexts.get(who);
  if (!context) throw new Error(`no request context for ${who}`);
  const { email, password } = credentialsFor(who);
  // Generated sign-ins with wrong passwords use up this address's budget (the server takes
  // the address from the socket, whatever a request claims): the fuzz's own sign-in starts
  // it afresh, so a 429 here would mean a real problem, not the fuzz's own noise.
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.del(`${process.env.QUEUE_PREFIX ?? 'ferry'}:login:ip:127.0.0.1`).finally(() => redis.disconnect());
  const response = await context.post('/api/auth/login', { data: { email, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** Generated requests may sign a role out (POST /api/auth/logout): sign in again before each route. */
async function ensureSignedIn(who: Who): Promise<void> {
  if (who === 'anonymous') return;
  const me = await contexts.get(who)!.get('/api/auth/me');
  if (me.status() !== 200) await signIn(who);
}

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(240_000);
  catalog = new Map(loadRouteCatalog().map((entry) => [entry.file, entry]));
  const baseURL = testInfo.project.use.baseURL;
  for (const who of [...roles, 'anonymous'] as const) contexts.set(who, await playwrightRequest.newContext({ baseURL }));
  for (const who of roles) await signIn(who);
  world = await createFuzzWorld(contexts.get('admin')!);
});

test.afterAll(async () => {
  // Generated requests may have started jobs on the test's own mappings: leave none running.
  const admin = contexts.get('admin');
  if (admin && world) {
    await ensureSignedIn('admin');
    for (const mappingId of world.mappingIds) {
      const listed = await admin.get(`/api/jobs?mappingId=${mappingId}&take=200`);
      if (listed.status() !== 200) continue;
      const { jobs } = (await listed.json()) as { jobs: { id: string; status: string }[] };
      for (const job of jobs) {
        if (!['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(job.status)) await admin.post(`/api/jobs/${job.id}/cancel`);
      }
    }
  }
  for (const context of contexts.values()) await context.dispose();
});

interface FuzzRequest {
  params: Record<string, string>;
  query: [string, string][];
  body: FuzzBody;
}

function paramNames(pattern: string): string[] {
  return [...pattern.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
}

/** Known values for a path parameter: by the resource named before it, the spare records for writes to the record itself. */
function knownValues(pattern: string, name: string, method: string): string[] {
  const segments = pattern.split('/');
  const index = segments.indexOf(`[${name}]`);
  const resource = segments[index - 1];
  const isRecordItself = index === segments.length - 1;
  const write = isRecordItself && ['PUT', 'PATCH', 'DELETE'].includes(method);
  return (write ? world.pools[`${resource}:write`] : world.pools[resource]) ?? [];
}

function requestArbitrary(entry: RouteCatalogEntry, spec: RouteMethodSpec): fc.Arbitrary<FuzzRequest> {
  const vocabulary: FuzzVocabulary = { ids: world.ids, words: world.words };
  const paramSchemas = (spec.params as JsonSchema | null)?.properties ?? {};
  const params = Object.fromEntries(
    paramNames(entry.pattern).map((name) => [name, paramArbitrary(paramSchemas[name], knownValues(entry.pattern, name, spec.method), vocabulary)]),
  );
  const examples = world.examples[`${spec.method} ${entry.pattern}`] ?? [];
  return fc.record({
    params: fc.record(params),
    query: queryArbitrary(spec.query as JsonSchema | null, vocabulary),
    body: spec.method === 'GET' ? fc.constant<FuzzBody>(null) : bodyArbitrary(spec.body as JsonSchema | null, examples, vocabulary),
  });
}

/** A dot-only or empty segment would make another URL (the client resolves it), so it is not a parameter value. */
const segmentOf = (value: string) => (/^\.*$/.test(value) ? `x${value}` : encodeSegment(value));
const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

/** Node's HTTP server refuses a request line and headers past 16 KB (431) before any route runs: stay under it. */
const MAX_URL_LENGTH = 12_000;

function urlOf(pattern: string, request: FuzzRequest): string {
  const path = pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => segmentOf(request.params[name]));
  let url = path;
  for (const [key, value] of request.query) {
    const next = `${url}${url === path ? '?' : '&'}${encodeSegment(key)}=${encodeSegment(value.slice(0, 1_000))}`;
    if (next.length > MAX_URL_LENGTH) break;
    url = next;
  }
  return url;
}

function describeRequest(method: string, url: string, body: FuzzBody): string {
  const shown = body === null ? '(none)' : 'text' in body ? `text ${JSON.stringify(truncate(body.text, 200))}` : truncate(JSON.stringify(body.json) ?? 'undefined', 600);
  return `${method} ${truncate(url, 400)} body: ${shown}`;
}

async function send(who: Who, method: string, url: string, body: FuzzBody) {
  const headers: Record<string, string> = {};
  let data: string | undefined;
  if (body && method !== 'GET') {
    data = 'text' in body ? body.text : JSON.stringify(body.json);
    if (data !== undefined) headers['content-type'] = 'application/json';
  }
  const response = await contexts.get(who)!.fetch(url, { method, headers, data, failOnStatusCode: false, maxRedirects: 0, timeout: 30_000 });
  return { status: response.status(), text: await response.text() };
}

/** Throws unless the answer is below 500 and, when a 4xx, the error JSON. */
function checkAnswer(status: number, text: string): void {
  let json: { error?: { code?: unknown; message?: unknown } } | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const code = json?.error?.code;
  if (status >= 500 && !(status === 502 && code === 'connection_failed')) throw new Error(`answered ${status}: ${truncate(text, 500)}`);
  if (status >= 400 && status < 500 && (typeof code !== 'string' || typeof json?.error?.message !== 'string')) {
    throw new Error(`answered ${status} without the error JSON (code, message): ${truncate(text, 300)}`);
  }
}

const routeFiles = listRouteFiles();

test('the route files are found and described', async () => {
  expect(routeFiles.length).toBeGreaterThan(20);
  expect([...catalog.keys()].sort()).toEqual(routeFiles);
});

for (const file of routeFiles) {
  test(`no 500 from ${file}`, async ({}, testInfo) => {
    testInfo.setTimeout(120_000);
    const entry = catalog.get(file);
    expect(entry, `${file} was not described`).toBeDefined();
    const failures: string[] = [];
    const tally: Record<string, number> = {};
    for (const spec of entry!.methods) {
      const arbitrary = requestArbitrary(entry!, spec);
      for (const who of [...roles, 'anonymous'] as const) {
        await ensureSignedIn(who);
        const seed = seedFor(file, spec.method, who);
        const property = fc.asyncProperty(arbitrary, async (request) => {
          const { status, text } = await send(who, spec.method, urlOf(entry!.pattern, request), request.body);
          tally[`${spec.method} ${who} ${status}`] = (tally[`${spec.method} ${who} ${status}`] ?? 0) + 1;
          checkAnswer(status, text);
        });
        const outcome = await fc.check(property, { seed, numRuns: runsFor(who, spec.permission), endOnFailure: !shrink });
        if (outcome.failed) {
          const error = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
          const [request] = outcome.counterexample ?? [];
          const shown = request ? describeRequest(spec.method, urlOf(entry!.pattern, request), request.body) : '(none)';
          failures.push(`${spec.method} as ${who} (seed ${seed}, path ${outcome.counterexamplePath}): ${error}\n    request: ${shown}`);
        }
      }
    }
    if (process.env.FUZZ_STATS === '1') console.log(`${file}: ${JSON.stringify(tally)}`);
    expect(failures, failures.join('\n')).toEqual([]);
  });
}
