import { expect, test, type APIRequestContext } from '@playwright/test';
import { signInAs } from '../../e2e/fixtures/auth';
import { clientAs } from './support/api';
import { type FakeServer, startFakeMysql, startFakePostgres } from './support/fake-database-servers';
import { type TestAuthority, createTestAuthority } from './support/tls-certificates';

// Issue 17, item 1 (TLS): "require" encrypts towards whoever answers, so someone in between
// reads the password. verify_ca checks the server's certificate against the connection's
// CA certificate, verify_full its host name too; a stored password is not sent under a
// weaker mode or another CA than it was saved with. TLS servers started here (certificates
// made with openssl) stand in for the genuine database and for an impostor.

const secret = `Tls-Secret-${Date.now()}`;
let admin: APIRequestContext;
let ours: TestAuthority;
let theirs: TestAuthority;
const servers: FakeServer[] = [];

test.beforeAll(async () => {
  admin = await clientAs('admin');
  ours = createTestAuthority('Ferry security CA');
  theirs = createTestAuthority('Impostor CA');
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(kind: 'postgres' | 'mysql', authority: TestAuthority, names = ['DNS:localhost', 'IP:127.0.0.1']) {
  const started = await (kind === 'postgres' ? startFakePostgres : startFakeMysql)({ tls: authority.issue(names) });
  servers.push(started);
  return started;
}

const config = (kind: 'postgres' | 'mysql', target: FakeServer, extra: Record<string, unknown> = {}) => ({
  name: `tls ${kind} ${Date.now()}`,
  kind,
  host: 'localhost',
  port: target.port,
  database: 'crm',
  username: 'ferry',
  password: secret,
  sslMode: 'verify_ca',
  sslCaCertificate: ours.certificate,
  ...extra,
});

async function testResult(data: Record<string, unknown>) {
  const response = await admin.post('/api/connections/test', { data });
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  return JSON.parse(text).result as { ok: boolean; code?: string; message?: string };
}

for (const kind of ['postgres', 'mysql'] as const) {
  test(`${kind}: verify_ca trusts only the given CA, verify_full also checks the name, and the impostor never gets the password`, async () => {
    const genuine = await server(kind, ours);
    const impostor = await server(kind, theirs);
    const misnamed = await server(kind, ours, ['DNS:db.example.com']);

    const accepted = await testResult(config(kind, genuine));
    expect(accepted.code, accepted.message).toBe('auth_failed'); // TLS passed; the fake refuses every password
    expect(genuine.received()).toContain(secret);

    const refused = await testResult(config(kind, impostor));
    expect(refused.code, refused.message).toBe('tls_unverified');
    expect(refused.message).toMatch(/not signed by the CA certificate of this connection .*the password was not sent/);

    const wrongName = await testResult(config(kind, misnamed, { sslMode: 'verify_full' }));
    expect(wrongName.code, wrongName.message).toBe('tls_unverified');
    expect(wrongName.message).toMatch(/not issued for "localhost"/);
    const nameNotChecked = await testResult(config(kind, misnamed, { sslMode: 'verify_ca' }));
    expect(nameNotChecked.code, nameNotChecked.message).toBe('auth_failed');

    expect(impostor.received()).not.toContain(secret);
  });
}

test('a stored password is not sent under a weaker SSL mode or another CA than it was saved with', async () => {
  // The saved connection verifies; an impostor has taken over its address.
  const impostor = await server('postgres', theirs);
  const saved = config('postgres', impostor, { sslMode: 'verify_full', name: `tls binding ${Date.now()}` });
  const created = await admin.post('/api/connections', { data: saved });
  expect(created.status(), await created.text()).toBe(200);
  const { connection } = await created.json();
  const { password: _typed, ...withoutPassword } = saved;

  const savedTest = await admin.post(`/api/connections/${connection.id}/test`);
  const responses: [string, Awaited<ReturnType<APIRequestContext['post']>>][] = [];
  for (const weaker of [
    { sslMode: 'require' },
    { sslMode: 'prefer' },
    { sslMode: 'verify_ca', sslCaCertificate: theirs.certificate },
    { sslCaCertificate: theirs.certificate },
    { sslCaCertificate: '' },
  ]) {
    responses.push([JSON.stringify(weaker), await admin.post('/api/connections/test', { data: { ...withoutPassword, ...weaker, id: connection.id } })]);
    responses.push([JSON.stringify(weaker), await admin.put(`/api/connections/${connection.id}`, { data: { ...withoutPassword, ...weaker } })]);
    // Whatever was saved is tested too.
    await admin.post(`/api/connections/${connection.id}/test`);
  }
  expect(impostor.received(), 'the impostor received the stored password').not.toContain(secret);
  expect((await savedTest.json()).result.code).toBe('tls_unverified');
  for (const [weaker, response] of responses) {
    const text = await response.text();
    expect(response.status(), `${weaker}: ${text}`).toBe(422);
    expect(JSON.parse(text).error.issues.map((i: { path: string }) => i.path)).toEqual(['body.password']);
  }
  const after = (await (await admin.get(`/api/connections/${connection.id}`)).json()).connection;
  expect([after.sslMode, after.sslCaCertificate]).toEqual(['verify_full', expect.stringContaining('-----BEGIN CERTIFICATE-----')]);
});

test('the CA certificate is checked as X.509 with a clear 422, and shown back (it is not secret)', async () => {
  const { key } = ours.issue(['DNS:localhost']);
  const damaged = ours.certificate.replace(/\n[A-Za-z0-9+/]{16}/, '\nAAAAAAAAAAAAAAA!');
  const cases: [unknown, RegExp][] = [
    ['not a certificate', /BEGIN CERTIFICATE/],
    [`${ours.certificate}${key}`, /private key/],
    [damaged, /not a valid X\.509 certificate/],
    [ours.certificate.repeat(120), /at most 64 KiB/],
    [42, /.+/],
  ];
  for (const [sslCaCertificate, message] of cases) {
    for (const path of ['/api/connections', '/api/connections/test']) {
      const response = await admin.post(path, { data: { ...config('postgres', { port: 5432 } as FakeServer), sslCaCertificate } });
      const text = await response.text();
      expect(response.status(), text).toBe(422);
      const issues = JSON.parse(text).error.issues as { path: string; message: string }[];
      expect(issues.map((i) => i.path)).toEqual(['body.sslCaCertificate']);
      expect(issues[0].message).toMatch(message);
    }
  }
  const created = await admin.post('/api/connections', { data: { ...config('postgres', { port: 5432 } as FakeServer), sslCaCertificate: `# our CA\n${ours.certificate}` } });
  expect(created.status(), await created.text()).toBe(200);
  const view = (await created.json()).connection;
  expect(view.sslCaCertificate).toBe(ours.certificate.replace(/\r\n/g, '\n').trim() + '\n');
  expect(JSON.stringify(view)).not.toContain(secret);
});

test('the connection form says that "require" does not verify the certificate, and asks for a CA certificate when verifying', async ({ page }) => {
  await signInAs(page, 'analyst');
  await page.goto('/connections/new');
  const form = page.getByRole('form', { name: 'Connection' });
  await form.getByLabel('SSL mode').selectOption('require');
  await expect(page.getByTestId('ssl-mode-note')).toContainText("does not verify the server's certificate");
  await expect(form.getByLabel('CA certificate')).toHaveCount(0);
  await form.getByLabel('SSL mode').selectOption('verify_full');
  await expect(form.getByLabel('CA certificate')).toBeVisible();
});
