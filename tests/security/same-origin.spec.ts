import http from 'node:http';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { loadRouteCatalog } from '../../e2e/fixtures/route-catalog';
import { credentialsFor } from '../../e2e/fixtures/auth';
import { anonymousClient, appOrigin, clientAs, scriptClientAs } from './support/api';

/**
 * Issue 17, items 5 and 10 (body size): state-changing requests are accepted only from
 * Ferry's own pages (Origin, else Sec-Fetch-Site) and only as JSON, and no route takes a
 * body past its limit. The attacker's page sits on another port of the same host: the same
 * site, so a SameSite=Lax cookie goes along.
 */

const evilOrigin = 'http://127.0.0.1:9999';
const stamp = Date.now();
/** Signed in as admin, sending the app's own Origin like Ferry's pages. */
let admin: APIRequestContext;
/** The same admin's session without browser headers (no Origin, no Sec-Fetch-Site), as a script. */
let script: APIRequestContext;

test.beforeAll(async () => {
  admin = await clientAs('admin');
  script = await scriptClientAs('admin', admin);
});

test.afterAll(async () => {
  await admin.dispose();
  await script.dispose();
});

async function userEmails(): Promise<string[]> {
  const response = await admin.get('/api/users');
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { users: { email: string }[] }).users.map((u) => u.email);
}

const newUser = (label: string) => ({ email: `csrf-${label}-${stamp}@ferry.test`, name: `CSRF ${label}`, role: 'admin', password: 'csrf-password-0123' });

async function errorOf(response: import('@playwright/test').APIResponse) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

test('the reported attack: a text/plain form post from another origin with an admin cookie creates no user', async () => {
  const user = newUser('text-plain');
  const response = await admin.post('/api/users', {
    headers: { origin: evilOrigin, 'content-type': 'text/plain', 'sec-fetch-site': 'same-site' },
    data: JSON.stringify(user),
  });
  expect([403, 415], await response.text()).toContain(response.status());
  expect(await userEmails()).not.toContain(user.email);
});

test('a text/plain body is refused with 415 even when no Origin is sent (an older browser)', async () => {
  const user = newUser('no-origin');
  const response = await script.post('/api/users', { headers: { 'content-type': 'text/plain' }, data: JSON.stringify(user) });
  expect(response.status(), await response.text()).toBe(415);
  expect((await errorOf(response)).code).toBe('unsupported_media_type');
  for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
    const other = await script.post('/api/users', { headers: { 'content-type': contentType }, data: JSON.stringify(user) });
    expect(other.status(), contentType).toBe(415);
  }
  expect(await userEmails()).not.toContain(user.email);
});

test('JSON from a foreign Origin is refused with 403 cross_origin and changes nothing', async () => {
  const user = newUser('foreign-json');
  for (const origin of [evilOrigin, 'https://evil.example', 'null', `https://127.0.0.1:${new URL(appOrigin).port}`]) {
    const response = await admin.post('/api/users', { headers: { origin }, data: user });
    expect(response.status(), `${origin}: ${await response.text()}`).toBe(403);
    expect((await errorOf(response)).code).toBe('cross_origin');
  }
  expect(await userEmails()).not.toContain(user.email);
});

test('Sec-Fetch-Site cross-site (or same-site) is refused without an Origin', async () => {
  const user = newUser('fetch-site');
  for (const site of ['cross-site', 'same-site']) {
    const response = await script.post('/api/users', { headers: { 'sec-fetch-site': site }, data: user });
    expect(response.status(), `${site}: ${await response.text()}`).toBe(403);
    expect((await errorOf(response)).code).toBe('cross_origin');
  }
  expect(await userEmails()).not.toContain(user.email);
});

test('every state-changing route refuses a foreign Origin before doing anything', async () => {
  const catalog = loadRouteCatalog();
  const id = '00000000-0000-4000-8000-000000000000';
  let checked = 0;
  for (const entry of catalog) {
    const url = entry.pattern.replace(/\[errorId\]/g, '1').replace(/\[table\]/g, 'people').replace(/\[[^\]]+\]/g, id);
    for (const { method } of entry.methods.filter((m) => m.method !== 'GET')) {
      const response = await admin.fetch(url, { method, headers: { origin: evilOrigin, 'sec-fetch-site': 'same-site' }, data: {} });
      expect(response.status(), `${method} ${url}: ${await response.text()}`).toBe(403);
      expect((await errorOf(response)).code, `${method} ${url}`).toBe('cross_origin');
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(15);
  // The session survived the forged sign-out among them.
  expect((await admin.get('/api/auth/me')).status()).toBe(200);
});

test('a cross-site sign-in is refused too (login CSRF would sign the victim into the attacker account)', async () => {
  const anonymous = await anonymousClient();
  const { email, password } = credentialsFor('viewer');
  const response = await anonymous.post('/api/auth/login', { headers: { origin: evilOrigin }, data: { email, password } });
  expect(response.status(), await response.text()).toBe(403);
  expect((await anonymous.get('/api/auth/me')).status()).toBe(401);
  await anonymous.dispose();
});

test("same-origin JSON, as Ferry's own pages send it, works", async () => {
  const user = newUser('same-origin');
  const response = await admin.post('/api/users', { headers: { origin: appOrigin, 'sec-fetch-site': 'same-origin' }, data: { ...user, role: 'viewer' } });
  expect(response.status(), await response.text()).toBe(200);
  expect(await userEmails()).toContain(user.email);
  // Without any browser headers (curl, scripts) too.
  const scripted = newUser('scripted');
  const fromScript = await script.post('/api/users', { data: { ...scripted, role: 'viewer' } });
  expect(fromScript.status(), await fromScript.text()).toBe(200);
});

test('a 2 MiB body is refused with 413 and creates nothing', async () => {
  const user = { ...newUser('large'), name: 'x'.repeat(2 * 1024 * 1024) };
  const response = await admin.post('/api/users', { data: user });
  expect(response.status(), (await response.text()).slice(0, 300)).toBe(413);
  expect((await errorOf(response)).code).toBe('payload_too_large');
  expect(await userEmails()).not.toContain(user.email);
});

test('a 2 MiB body without a Content-Length (chunked) is cut off at the limit with 413', async () => {
  const cookie = (await admin.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const { port } = new URL(appOrigin);
  const outcome = await new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
    let sentBytes = 0;
    const req = http.request(
      { host: '127.0.0.1', port: Number(port), path: '/api/users', method: 'POST', headers: { cookie, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const write = () => {
      while (sentBytes < 2 * 1024 * 1024) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    req.write('{"name":"');
    write();
  });
  expect(outcome.status, outcome.body.slice(0, 300)).toBe(413);
  expect(JSON.parse(outcome.body).error.code).toBe('payload_too_large');
});

test('a 100 KiB sign-in body is refused with 413', async () => {
  const anonymous = await anonymousClient();
  const { email } = credentialsFor('viewer');
  const response = await anonymous.post('/api/auth/login', { data: { email, password: 'p'.repeat(100 * 1024) } });
  expect(response.status(), (await response.text()).slice(0, 300)).toBe(413);
  expect((await errorOf(response)).code).toBe('payload_too_large');
  await anonymous.dispose();
});

test('a mapping spec far past the default limit still fits its own (three value maps at their 10,000-entry maximum)', async () => {
  const analyst = await clientAs('analyst');
  const valueMap = (n: number) => ({ op: 'value_map', map: Object.fromEntries(Array.from({ length: n }, (_, j) => [`SOURCE-CODE-${String(j).padStart(5, '0')}`, `Target label for code ${j}`])) });
  const spec = {
    source: { table: 'people', key: ['id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'email', sources: ['email'], transforms: [valueMap(10_000)] },
      { target: 'status', sources: ['status'], transforms: [valueMap(10_000)] },
      { target: 'company', sources: ['status'], transforms: [valueMap(10_000)] },
    ],
  };
  const data = { sourceConnectionId: '00000000-0000-4000-8000-000000000000', targetConnectionId: '00000000-0000-4000-8000-000000000001', spec };
  expect(JSON.stringify(data).length).toBeGreaterThan(1024 * 1024);
  const response = await analyst.post('/api/mappings/check', { data });
  // Not refused for its size: the check runs and finds the connections missing.
  expect(response.status(), (await response.text()).slice(0, 300)).not.toBe(413);
  await analyst.dispose();
});
