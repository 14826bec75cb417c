import { createHash, randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { prisma } from '../db/client';
import { env } from '../env';
import type { Actor } from './roles';

/**
 * Sessions live in PostgreSQL (so sign-out and disabling a user take effect at once);
 * the cookie carries only a random token sealed with iron-session. The database keeps a
 * hash of the token, so a copy of the sessions table cannot be replayed as cookies.
 */
export const SESSION_COOKIE = 'ferry_session';
export const SESSION_TTL_SECONDS = 60 * 60 * 12;
/**
 * How stale `lastSeenAt` may get before a request writes it again: an active session
 * costs one small update a minute, not one per request, and the idle timeout is off by
 * at most this much.
 */
export const LAST_SEEN_PRECISION_MS = 60_000;

/** A session unused for FERRY_SESSION_IDLE_MINUTES (default 60) is over, however long its cookie lives. */
export const sessionIdleMs = () => env().FERRY_SESSION_IDLE_MINUTES * 60_000;

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(userId: string, secret: string): Promise<{ cookieValue: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  await prisma().session.create({ data: { id: tokenId(token), userId, expiresAt } });
  const cookieValue = await sealData({ token }, { password: secret, ttl: SESSION_TTL_SECONDS });
  return { cookieValue, expiresAt };
}

/** The session cookie's value in a Cookie header, for handlers that read the request itself. */
export function sessionCookieIn(cookieHeader: string | null): string | undefined {
  for (const pair of cookieHeader?.split(';') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

async function tokenFromCookie(cookieValue: string | undefined, secret: string): Promise<string | null> {
  if (!cookieValue) return null;
  const data = await unsealData<{ token?: string }>(cookieValue, { password: secret, ttl: SESSION_TTL_SECONDS }).catch(
    () => ({}) as { token?: string },
  );
  return typeof data.token === 'string' ? data.token : null;
}

/** The signed-in user for a cookie, or null when absent, expired, idle too long, revoked or disabled. */
export async function resolveSession(cookieValue: string | undefined, secret: string): Promise<Actor | null> {
  const token = await tokenFromCookie(cookieValue, secret);
  if (!token) return null;
  const id = tokenId(token);
  const session = await prisma().session.findUnique({
    where: { id },
    select: { expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!session || session.user.disabledAt) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > sessionIdleMs()) {
    // Over for good: removed now rather than at the next cleanup.
    await prisma().session.deleteMany({ where: { id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() >= LAST_SEEN_PRECISION_MS) {
    // Conditional, so concurrent requests of one page write it once.
    await prisma().session.updateMany({
      where: { id, lastSeenAt: { lte: new Date(now - LAST_SEEN_PRECISION_MS) } },
      data: { lastSeenAt: new Date(now) },
    });
  }
  const { disabledAt: _disabled, ...actor } = session.user;
  return actor;
}

/**
 * Removes sessions past their expiry or idle longer than the idle timeout: all of them,
 * or one user's (at sign-in). The worker runs it periodically (workers/housekeeping.ts).
 */
export async function deleteStaleSessions(userId?: string): Promise<number> {
  const now = Date.now();
  const { count } = await prisma().session.deleteMany({
    where: {
      ...(userId ? { userId } : {}),
      OR: [{ expiresAt: { lte: new Date(now) } }, { lastSeenAt: { lt: new Date(now - sessionIdleMs()) } }],
    },
  });
  return count;
}

export async function revokeSession(cookieValue: string | undefined, secret: string): Promise<void> {
  const token = await tokenFromCookie(cookieValue, secret);
  if (token) await prisma().session.deleteMany({ where: { id: tokenId(token) } });
}
