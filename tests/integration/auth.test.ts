import './support/test-env';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { resolveSession, revokeSession } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { closeProducerRedis, producerRedis } from '@/lib/queue/redis';
import { upsertUser } from '@/lib/users/manage-users';
import { loginLimitPrefix } from '@/lib/auth/login-rate-limit';

const secret = () => env().SESSION_SECRET;

after(async () => {
  await closeProducerRedis();
  await disconnectPrisma();
});

test('sign-in opens a server-side session that sign-out and disabling end at once', async () => {
  const user = await upsertUser({ email: 'it-session@ferry.test', name: 'Session', role: 'analyst', password: 'correct horse battery' });
  const ip = `it-${Date.now()}`;
  const { cookieValue } = await signIn({ email: user.email, password: 'correct horse battery' }, ip, secret());
  const stored = await prisma().session.findMany({ where: { userId: user.id }, select: { id: true } });
  assert.ok(stored.length >= 1 && stored.every((s) => !cookieValue.includes(s.id)), 'the database keeps only a hash of the token');
  assert.equal((await resolveSession(cookieValue, secret()))?.role, 'analyst');
  const middle = Math.floor(cookieValue.length / 2);
  const tampered = cookieValue.slice(0, middle) + (cookieValue[middle] === 'A' ? 'B' : 'A') + cookieValue.slice(middle + 1);
  assert.equal(await resolveSession(tampered, secret()), null, 'a tampered cookie is no session');

  await prisma().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
  assert.equal(await resolveSession(cookieValue, secret()), null);
  await prisma().user.update({ where: { id: user.id }, data: { disabledAt: null } });
  await revokeSession(cookieValue, secret());
  assert.equal(await resolveSession(cookieValue, secret()), null);
});

test('sign-in is rate-limited per address and account, and says for how long', async () => {
  const user = await upsertUser({ email: 'it-limit@ferry.test', name: 'Limit', role: 'viewer', password: 'the right password' });
  const ip = `it-limit-${Date.now()}`;
  await producerRedis().del(`${loginLimitPrefix()}:email-ip:${user.email}|${ip}`);
  for (let i = 0; i < 10; i++) {
    await assert.rejects(signIn({ email: user.email, password: 'wrong' }, ip, secret()), (e: unknown) => e instanceof AppError && e.code === 'unauthenticated');
  }
  await assert.rejects(
    signIn({ email: user.email, password: 'the right password' }, ip, secret()),
    (e: unknown) => e instanceof AppError && e.code === 'rate_limited' && /Try again in \d+ minute/.test(e.message),
  );
  // Another address is not blocked by this one's failures.
  const ok = await signIn({ email: user.email, password: 'the right password' }, `${ip}-other`, secret());
  assert.equal(ok.user.email, user.email);
});

test('the per-account limit holds however many addresses the attempts claim to come from', async () => {
  const user = await upsertUser({ email: 'it-rotate@ferry.test', name: 'Rotate', role: 'viewer', password: 'the right password' });
  await producerRedis().del(`${loginLimitPrefix()}:email:${user.email}`);
  const run = Date.now();
  const answers: string[] = [];
  for (let i = 0; i < 25; i++) {
    // A forged X-Forwarded-For gives every attempt a new address.
    const code = await signIn({ email: user.email, password: `wrong ${i}` }, `forged-${run}-${i}`, secret()).then(
      () => 'ok',
      (e: unknown) => (e instanceof AppError ? e.code : String(e)),
    );
    answers.push(code);
  }
  assert.equal(answers.filter((a) => a === 'unauthenticated').length, 20);
  assert.deepEqual(answers.slice(20), ['rate_limited', 'rate_limited', 'rate_limited', 'rate_limited', 'rate_limited']);
  await producerRedis().del(`${loginLimitPrefix()}:email:${user.email}`);
});

test('a blocked attempt answers 429 before any password hashing, even with the right password', async () => {
  const user = await upsertUser({ email: 'it-blocked-hash@ferry.test', name: 'Blocked', role: 'viewer', password: 'the right password' });
  await producerRedis().del(`${loginLimitPrefix()}:email:${user.email}`);
  const run = Date.now();
  for (let i = 0; i < 20; i++) {
    await assert.rejects(signIn({ email: user.email, password: `wrong ${i}` }, `hash-${run}-${i}`, secret()), (e: unknown) => e instanceof AppError && e.code === 'unauthenticated');
  }
  // A tripwire: the stored hash now asks argon2 for 2000 passes (~5 ms each here, so ~10 s)
  // instead of 2. An attempt that reached verifyPassword could not answer within a second.
  const stored = await prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  assert.match(stored.passwordHash, /\$m=\d+,t=2,p=1\$/);
  await prisma().user.update({ where: { id: user.id }, data: { passwordHash: stored.passwordHash.replace(',t=2,', ',t=2000,') } });
  try {
    for (const password of ['the right password', 'wrong again']) {
      const started = performance.now();
      await assert.rejects(signIn({ email: user.email, password }, `hash-${run}-late`, secret()), (e: unknown) => e instanceof AppError && e.code === 'rate_limited');
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `a refused attempt took ${Math.round(ms)} ms: it ran argon2`);
    }
  } finally {
    await prisma().user.update({ where: { id: user.id }, data: { passwordHash: stored.passwordHash } });
    await producerRedis().del(`${loginLimitPrefix()}:email:${user.email}`);
  }
});

test('a successful sign-in gives its point back to the address; failures keep theirs', async () => {
  const user = await upsertUser({ email: 'it-address-points@ferry.test', name: 'Points', role: 'viewer', password: 'the right password' });
  const address = `203.0.113.${Date.now() % 250}`;
  const key = `${loginLimitPrefix()}:ip:${address}`;
  await producerRedis().del(key);
  for (let i = 0; i < 3; i++) await signIn({ email: user.email, password: 'the right password' }, address, secret());
  assert.equal(Number(await producerRedis().get(key)), 0, 'three sign-ins cost the address nothing');
  await assert.rejects(signIn({ email: user.email, password: 'wrong' }, address, secret()));
  assert.equal(Number(await producerRedis().get(key)), 1);
  await producerRedis().del(key);
});

test('IPv6 addresses of one /64 share their limit', async () => {
  const prefix = `2001:db8:${(Date.now() % 65535).toString(16)}:1`;
  const key = `${loginLimitPrefix()}:ip:${prefix}::/64`;
  await producerRedis().del(key);
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(signIn({ email: `nobody-${i}@ferry.test`, password: 'wrong' }, `${prefix}:${i}::${i}`, secret()));
  }
  assert.equal(Number(await producerRedis().get(key)), 3);
  await producerRedis().del(key);
});
