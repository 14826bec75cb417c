import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSession, deleteStaleSessions, LAST_SEEN_PRECISION_MS, resolveSession, sessionIdleMs } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { env } from '@/lib/env';
import { closeProducerRedis } from '@/lib/queue/redis';
import { upsertUser } from '@/lib/users/manage-users';
import { spawnWorker } from './support/spawn-worker';
import { expectEventually } from './support/wait';

const secret = () => env().SESSION_SECRET;
let userId: string;

before(async () => {
  ({ id: userId } = await upsertUser({ email: 'it-idle@ferry.test', name: 'Idle', role: 'viewer', password: 'idle password 1' }));
  await prisma().session.deleteMany({ where: { userId } });
});

after(async () => {
  await prisma().session.deleteMany({ where: { userId } });
  await closeProducerRedis();
  await disconnectPrisma();
});

/** A session of the test user, as if last used `idleMs` ago and expiring in `expiresInMs`. */
async function sessionIdleFor(idleMs: number, expiresInMs = 60 * 60_000) {
  const { cookieValue } = await createSession(userId, secret());
  const rows = await prisma().session.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 1, select: { id: true } });
  const id = rows[0].id;
  await prisma().session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - idleMs), expiresAt: new Date(Date.now() + expiresInMs) } });
  return { cookieValue, id };
}

const lastSeen = async (id: string) => (await prisma().session.findUnique({ where: { id }, select: { lastSeenAt: true } }))?.lastSeenAt ?? null;

test('the idle timeout defaults to 60 minutes', () => {
  assert.equal(sessionIdleMs(), 60 * 60_000);
});

test('a session idle for longer than the timeout is refused and removed; one just under it still works', async () => {
  const idle = await sessionIdleFor(sessionIdleMs() + 60_000);
  assert.equal(await resolveSession(idle.cookieValue, secret()), null);
  assert.equal(await lastSeen(idle.id), null, 'the idle session row is gone');

  const recent = await sessionIdleFor(sessionIdleMs() - 60_000);
  assert.equal((await resolveSession(recent.cookieValue, secret()))?.email, 'it-idle@ferry.test');
});

test('lastSeenAt is written at most once a minute, not on every request', async () => {
  const fresh = await sessionIdleFor(10_000);
  const before = await lastSeen(fresh.id);
  for (let i = 0; i < 5; i++) assert.ok(await resolveSession(fresh.cookieValue, secret()));
  assert.deepEqual(await lastSeen(fresh.id), before, 'used within the minute: no write');

  const stale = await sessionIdleFor(LAST_SEEN_PRECISION_MS + 5_000);
  await Promise.all(Array.from({ length: 5 }, () => resolveSession(stale.cookieValue, secret())));
  const seen = await lastSeen(stale.id);
  assert.ok(seen && Date.now() - seen.getTime() < 5_000, 'used after a minute: lastSeenAt moved to now');
});

test('cleanup removes expired and idle sessions and keeps live ones', async () => {
  const expired = await sessionIdleFor(0, -1_000);
  const idle = await sessionIdleFor(sessionIdleMs() + 1_000);
  const live = await sessionIdleFor(1_000);
  assert.ok((await deleteStaleSessions()) >= 2);
  assert.equal(await lastSeen(expired.id), null);
  assert.equal(await lastSeen(idle.id), null);
  assert.notEqual(await lastSeen(live.id), null);
});

test('signing in removes that user’s expired and idle sessions', async () => {
  const other = await upsertUser({ email: 'it-idle-other@ferry.test', name: 'Other', role: 'viewer', password: 'other password 1' });
  const othersIdle = await createSession(other.id, secret());
  await prisma().session.updateMany({ where: { userId: other.id }, data: { lastSeenAt: new Date(Date.now() - sessionIdleMs() - 1_000) } });
  const idle = await sessionIdleFor(sessionIdleMs() + 1_000);
  const expired = await sessionIdleFor(0, -1_000);
  const live = await sessionIdleFor(1_000);

  await signIn({ email: 'it-idle@ferry.test', password: 'idle password 1' }, `idle-${Date.now()}`, secret());
  assert.equal(await lastSeen(idle.id), null);
  assert.equal(await lastSeen(expired.id), null);
  assert.notEqual(await lastSeen(live.id), null, 'the user’s other live sessions stay');
  assert.equal(await prisma().session.count({ where: { userId: other.id } }), 1, 'another user’s sessions are left to the cleanup');
  assert.equal(await resolveSession(othersIdle.cookieValue, secret()), null);
  await prisma().session.deleteMany({ where: { userId: other.id } });
});

test('a worker removes stale sessions on its own', async () => {
  const idle = await sessionIdleFor(sessionIdleMs() + 1_000);
  const live = await sessionIdleFor(1_000);
  const worker = spawnWorker();
  try {
    await expectEventually(async () => (await lastSeen(idle.id)) === null, { timeoutMs: 30_000 });
    assert.notEqual(await lastSeen(live.id), null);
  } finally {
    assert.equal(await worker.stop(), 0, worker.output());
  }
});
