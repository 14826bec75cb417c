import { expect, test } from '@playwright/test';
import { Redis } from 'ioredis';
import { anonymousClient, clientAs } from './support/api';

// Issue 17, item 2: sign-in throttling must not be bypassed by claiming other addresses.
// The app under test runs with no trusted proxy (FERRY_TRUSTED_PROXY_HOPS unset), so the
// client address is the socket's: these requests all come from 127.0.0.1.
const SOCKET_ADDRESS = '127.0.0.1';
// The web server's limiter keys live under its QUEUE_PREFIX (lib/auth/login-rate-limit.ts).
const ADDRESS_KEY = `${process.env.QUEUE_PREFIX ?? 'ferry'}:login:ip:${SOCKET_ADDRESS}`;
const PER_ACCOUNT = 20;
const PER_ADDRESS = 50;
const run = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

let redis: Redis;
test.beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  // Counted from zero: failures of earlier specs from this address would make 429 come early.
  await redis.del(ADDRESS_KEY);
});
test.afterAll(async () => {
  // Later specs sign in from the same address: give it back its attempts.
  await redis.del(ADDRESS_KEY);
  await redis.quit();
});

/** Sign-in answers for `attempts` tries, each claiming another address in X-Forwarded-For (and Ferry's private header). */
async function attempt(tries: { email: string; password: string }[]): Promise<number[]> {
  const client = await anonymousClient();
  const statuses: number[] = [];
  for (const [i, { email, password }] of tries.entries()) {
    const claimed = `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const response = await client.post('/api/auth/login', {
      data: { email, password },
      headers: { 'x-forwarded-for': claimed, 'x-real-ip': claimed, 'x-ferry-client-address': claimed },
    });
    statuses.push(response.status());
  }
  await client.dispose();
  return statuses;
}

test('one account: 25 wrong passwords from 25 claimed addresses are refused with 429 by attempt 21, the right one too', async () => {
  const admin = await clientAs('admin');
  const email = `throttle-account-${run}@ferry.test`;
  const created = await admin.post('/api/users', { data: { email, name: 'Throttle target', role: 'viewer', password: 'the-right-password' } });
  expect(created.status(), await created.text()).toBe(200);
  await admin.dispose();

  const statuses = await attempt(Array.from({ length: 25 }, (_, i) => ({ email, password: `wrong-${i}` })));
  const firstRefusal = statuses.indexOf(429);
  expect(firstRefusal, `answers: ${statuses.join(' ')}`).toBeGreaterThanOrEqual(0);
  expect(firstRefusal + 1, `answers: ${statuses.join(' ')}`).toBeLessThanOrEqual(PER_ACCOUNT + 1);
  expect(statuses.slice(0, firstRefusal).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);

  // Blocked means blocked: the right password from yet another claimed address gets 429, not a session.
  const [rightPassword] = await attempt([{ email, password: 'the-right-password' }]);
  expect(rightPassword).toBe(429);
});

test('one socket address: guesses spread over many accounts and claimed addresses are limited per real address', async () => {
  await redis.del(ADDRESS_KEY);
  const tries = Array.from({ length: PER_ADDRESS + 5 }, (_, i) => ({ email: `spray-${run}-${i}@ferry.test`, password: 'Summer2024!' }));
  const statuses = await attempt(tries);
  const firstRefusal = statuses.indexOf(429);
  expect(firstRefusal, `no 429 in ${statuses.length} attempts from one address claiming ${statuses.length} others`).toBeGreaterThanOrEqual(0);
  expect(firstRefusal + 1).toBeLessThanOrEqual(PER_ADDRESS + 1);
  expect(statuses.slice(0, firstRefusal).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);

  // The refusal is the address's, not the accounts': a demo user's right password is refused too, until the address is cleared.
  const client = await anonymousClient();
  const blocked = await client.post('/api/auth/login', { data: { email: 'viewer@ferry.local', password: 'ferry-viewer-demo' }, headers: { 'x-forwarded-for': '203.0.113.77' } });
  expect(blocked.status()).toBe(429);
  expect((await blocked.json()).error.message).toMatch(/Try again in \d+ minute/);
  await client.dispose();
});
