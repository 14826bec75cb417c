import os from 'node:os';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { anonymousClient, clientAs } from './support/api';

// Issue 17, item 10: /api/health tells anonymous callers no more than up or down; the
// metrics token is required and checked; a session left idle is over.
const METRICS_TOKEN = process.env.METRICS_TOKEN ?? '';

test('anonymous /api/health says status and checks only: no host names, pids, worker ids, timings or error texts', async () => {
  const anonymous = await anonymousClient();
  const response = await anonymous.get('/api/health');
  expect(response.status()).toBe(200);
  const text = await response.text();
  const body = JSON.parse(text);
  expect(Object.keys(body).sort()).toEqual(['ok', 'postgres', 'problems', 'redis', 'status', 'web', 'workers']);
  for (const check of ['web', 'postgres', 'redis', 'workers']) expect(Object.keys(body[check])).toEqual(['ok']);
  expect(body.problems.every((p: unknown) => typeof p === 'string')).toBe(true);
  expect(text).not.toContain(os.hostname());
  expect(text).not.toMatch(/"(hostname|pid|id|live|error|ms|lastHeartbeatAt|concurrency)"/);
  // A forged bearer token or session cookie unlocks nothing.
  const forgeries: Record<string, string>[] = [{ authorization: 'Bearer not-the-token' }, { cookie: 'ferry_session=forged' }];
  for (const headers of forgeries) {
    const forged = await (await anonymous.get('/api/health', { headers })).json();
    expect(forged.workers).toEqual({ ok: body.workers.ok });
  }
  await anonymous.dispose();

  // The details exist, for signed-in users and the metrics token holder.
  const viewer = await clientAs('viewer');
  const detailed = await (await viewer.get('/api/health')).json();
  expect(detailed.workers.live[0]).toHaveProperty('pid');
  await viewer.dispose();
  const scraper = await anonymousClient();
  const scraped = await (await scraper.get('/api/health', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).json();
  expect(scraped.workers).toHaveProperty('count');
  await scraper.dispose();
});

test('/api/metrics refuses a missing or wrong token with 401 and serves the right one', async () => {
  expect(METRICS_TOKEN, 'scripts/test-env.sh sets METRICS_TOKEN for the app under test').not.toBe('');
  const client = await anonymousClient();
  const wrong = [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN.slice(0, -1)}`, `Bearer ${METRICS_TOKEN}x`, `bearer ${METRICS_TOKEN}`, METRICS_TOKEN];
  for (const authorization of wrong) {
    const response = await client.get('/api/metrics', { headers: authorization === undefined ? {} : { authorization } });
    expect(response.status(), `authorization: ${authorization}`).toBe(401);
    expect(await response.text()).not.toContain('ferry_');
  }
  const right = await client.get('/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(right.status()).toBe(200);
  expect(await right.text()).toMatch(/^# TYPE ferry_rows_read_total counter$/m);
  await client.dispose();
});

test('a session idle for longer than FERRY_SESSION_IDLE_MINUTES (60) is refused and removed', async () => {
  const admin = await clientAs('admin');
  const email = `idle-${Date.now()}@ferry.test`;
  const created = await admin.post('/api/users', { data: { email, name: 'Idle user', role: 'viewer', password: 'idle-user-password' } });
  expect(created.status(), await created.text()).toBe(200);
  await admin.dispose();

  const user = await anonymousClient();
  expect((await user.post('/api/auth/login', { data: { email, password: 'idle-user-password' } })).status()).toBe(200);
  expect((await user.get('/api/auth/me')).status()).toBe(200);

  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const sessionsOf = `SELECT count(*)::int AS n FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)`;
    // Left alone for 61 minutes (the cookie itself is valid for 12 hours).
    await db.query(`UPDATE sessions SET last_seen_at = now() - interval '61 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
    const me = await user.get('/api/auth/me');
    expect(me.status()).toBe(401);
    expect((await db.query(sessionsOf, [email])).rows[0].n).toBe(0);

    // Used within the hour: still signed in.
    expect((await user.post('/api/auth/login', { data: { email, password: 'idle-user-password' } })).status()).toBe(200);
    await db.query(`UPDATE sessions SET last_seen_at = now() - interval '59 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
    expect((await user.get('/api/auth/me')).status()).toBe(200);
    const seen = await db.query(`SELECT extract(epoch FROM now() - last_seen_at) AS idle FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
    expect(Number(seen.rows[0].idle), 'using the session moved lastSeenAt').toBeLessThan(60);
  } finally {
    await db.end();
    await user.dispose();
  }
});
