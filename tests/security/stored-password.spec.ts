import { expect, test, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { clientAs } from './support/api';
import { type FakeServer, startFakePostgres } from './support/fake-database-servers';

// Issue 17, item 1: a stored password must never be sent anywhere but where it was saved
// for. The attacker edits (or only tests) a saved connection so that it points at a
// listener of theirs, leaving the password field empty so that Ferry fills in the stored
// one. The listener speaks enough PostgreSQL to ask for the password in clear, as a real
// impostor would. Item 10: an envelope copied into another connection's row must not open.

const secret = `Stored-Secret-${Date.now()}`;
let admin: APIRequestContext;
/** Where the attacker listens: another loopback address, the saved port. */
let elsewhere: FakeServer;
/** And on the saved address, another port. */
let otherPort: FakeServer;

test.beforeAll(async () => {
  admin = await clientAs('admin');
  elsewhere = await startFakePostgres({ host: '127.0.0.2' });
  otherPort = await startFakePostgres({ host: '127.0.0.1' });
});

test.afterAll(async () => {
  await elsewhere?.close();
  await otherPort?.close();
});

/** A PostgreSQL connection with a stored password, saved for 127.0.0.1 on the listener's port (where nothing listens). */
async function savedConnection(label: string) {
  const config = {
    name: `stored password ${label} ${Date.now()}`,
    kind: 'postgres',
    host: '127.0.0.1',
    port: elsewhere.port,
    database: 'crm',
    username: 'ferry',
    password: secret,
    sslMode: 'disable',
  };
  const created = await admin.post('/api/connections', { data: config });
  expect(created.status(), await created.text()).toBe(200);
  const { connection } = await created.json();
  expect(connection.hasPassword).toBe(true);
  const { password: _typed, ...withoutPassword } = config;
  return { id: connection.id as string, config: withoutPassword };
}

async function expectPasswordRequired(response: Awaited<ReturnType<APIRequestContext['post']>>) {
  const text = await response.text();
  expect(response.status(), text).toBe(422);
  const body = JSON.parse(text);
  expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.password']);
  expect(body.error.issues[0].message).toMatch(/entered again/);
}

const leaked = () => elsewhere.received().includes(secret) || otherPort.received().includes(secret);

test('testing a saved connection pointed elsewhere (host, port, user, database) does not send the stored password there', async () => {
  const { id, config } = await savedConnection('test');
  const attacks = [
    { ...config, host: '127.0.0.2' },
    { ...config, port: otherPort.port },
    { ...config, host: '127.0.0.2', username: 'postgres' },
    { ...config, host: '127.0.0.2', database: 'postgres' },
    { ...config, host: '127.0.0.2', kind: 'mysql' },
  ];
  const responses = [];
  for (const attack of attacks) {
    responses.push(await admin.post('/api/connections/test', { data: { ...attack, id } }));
    responses.push(await admin.post('/api/connections/test', { data: { ...attack, id, password: '' } }));
  }
  expect(leaked(), 'a listener received the stored password').toBe(false);
  expect(elsewhere.connections() + otherPort.connections(), 'nothing even connected').toBe(0);
  for (const response of responses) await expectPasswordRequired(response);
});

test('saving a saved connection with only its host changed needs the password again, and the stored one never reaches the new host', async () => {
  const { id, config } = await savedConnection('save');
  const saved = await admin.put(`/api/connections/${id}`, { data: { ...config, host: '127.0.0.2' } });
  // Whatever was saved is tested now: it must still go where the password was saved for (nothing listens there).
  const tested = await admin.post(`/api/connections/${id}/test`);
  expect(leaked(), 'a listener received the stored password').toBe(false);
  await expectPasswordRequired(saved);
  const after = await (await admin.get(`/api/connections/${id}`)).json();
  expect(after.connection.host).toBe('127.0.0.1');
  expect(tested.status(), await tested.text()).toBe(200);
  expect((await tested.json()).result.ok).toBe(false);
});

test("a password envelope copied into another connection's row does not open there", async () => {
  const { id: donor } = await savedConnection('donor');
  const thief = await admin.post('/api/connections', {
    data: { name: `stored password thief ${Date.now()}`, kind: 'postgres', host: '127.0.0.2', port: elsewhere.port, database: 'crm', username: 'ferry', sslMode: 'disable' },
  });
  expect(thief.status(), await thief.text()).toBe(200);
  const thiefId: string = (await thief.json()).connection.id;
  // Someone able to write one row of Ferry's database (a backup restored, a careless
  // support query) pastes the donor's ciphertext into a connection that points at them.
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query('UPDATE connections SET password_encrypted = (SELECT password_encrypted FROM connections WHERE id = $1) WHERE id = $2', [donor, thiefId]);
  } finally {
    await db.end();
  }
  const tested = await admin.post(`/api/connections/${thiefId}/test`);
  const text = await tested.text();
  expect(tested.status(), text).toBeLessThan(500);
  expect(text).not.toContain(secret);
  expect(leaked(), 'the listener received the donor connection\'s password').toBe(false);
  expect(tested.status(), text).toBe(409);
  expect(JSON.parse(text).error.message).toMatch(/cannot be decrypted/);
});
