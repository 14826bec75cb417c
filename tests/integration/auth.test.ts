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
  await producerRedis().del(`ferry:login:email-ip:${user.email}|${ip}`);
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
  await producerRedis().del(`ferry:login:email:${user.email}`);
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
  await producerRedis().del(`ferry:login:email:${user.email}`);
});
