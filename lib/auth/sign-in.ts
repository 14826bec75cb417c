import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { dummyPasswordHash, verifyPassword } from './password';
import { createSession, deleteStaleSessions } from './sessions';
import { consumeLoginAttempt, clearLoginAttempts } from './login-rate-limit';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'is required').max(1024),
});
export type SignInRequest = z.infer<typeof signInSchema>;

/**
 * Checks the password (rate-limited per address and per email) and opens a session.
 * `clientAddress` is the one Ferry's web server determined (lib/auth/client-address.ts).
 */
export async function signIn(request: SignInRequest, clientAddress: string, secret: string) {
  // First, before any lookup or hashing: a refused attempt costs no argon2 run, so a
  // flood of attempts cannot buy CPU time once it is over the limit.
  await consumeLoginAttempt(request.email, clientAddress);
  const user = await prisma().user.findUnique({
    where: { email: request.email },
    select: { id: true, passwordHash: true, disabledAt: true, role: true, name: true, email: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), request.password);
  if (!user || !valid || user.disabledAt) {
    throw new AppError('unauthenticated', 'Wrong email or password');
  }
  await clearLoginAttempts(request.email, clientAddress);
  // This user's expired and idle sessions go now, not only at the worker's next cleanup.
  await deleteStaleSessions(user.id);
  const session = await createSession(user.id, secret);
  return { ...session, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
