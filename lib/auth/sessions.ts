import { createHash, randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { prisma } from '../db/client';
import type { Actor } from './roles';

/**
 * Sessions live in PostgreSQL (so sign-out and disabling a user take effect at once);
 * the cookie carries only a random token sealed with iron-session. The database keeps a
 * hash of the token, so a copy of the sessions table cannot be replayed as cookies.
 */
export const SESSION_COOKIE = 'ferry_session';
export const SESSION_TTL_SECONDS = 60 * 60 * 12;

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(userId: string, secret: string): Promise<{ cookieValue: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  await prisma().session.create({ data: { id: tokenId(token), userId, expiresAt } });
  const cookieValue = await sealData({ token }, { password: secret, ttl: SESSION_TTL_SECONDS });
  return { cookieValue, expiresAt };
}

async function tokenFromCookie(cookieValue: string | undefined, secret: string): Promise<string | null> {
  if (!cookieValue) return null;
  const data = await unsealData<{ token?: string }>(cookieValue, { password: secret, ttl: SESSION_TTL_SECONDS }).catch(
    () => ({}) as { token?: string },
  );
  return typeof data.token === 'string' ? data.token : null;
}

/** The signed-in user for a cookie, or null when absent, expired, revoked or disabled. */
export async function resolveSession(cookieValue: string | undefined, secret: string): Promise<Actor | null> {
  const token = await tokenFromCookie(cookieValue, secret);
  if (!token) return null;
  const session = await prisma().session.findUnique({
    where: { id: tokenId(token) },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!session || session.expiresAt < new Date() || session.user.disabledAt) return null;
  const { disabledAt: _disabled, ...actor } = session.user;
  return actor;
}

export async function revokeSession(cookieValue: string | undefined, secret: string): Promise<void> {
  const token = await tokenFromCookie(cookieValue, secret);
  if (token) await prisma().session.deleteMany({ where: { id: tokenId(token) } });
}
