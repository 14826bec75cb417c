import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { dummyPasswordHash, verifyPassword } from './password';
import { createSession } from './sessions';
import { consumeLoginAttempt, clearLoginAttempts } from './login-rate-limit';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'is required').max(1024),
});
export type SignInRequest = z.infer<typeof signInSchema>;

/** Checks the password (rate-limited per address and per email) and opens a session. */
export async function signIn(request: SignInRequest, clientIp: string, secret: string) {
  await consumeLoginAttempt(request.email, clientIp);
  const user = await prisma().user.findUnique({
    where: { email: request.email },
    select: { id: true, passwordHash: true, disabledAt: true, role: true, name: true, email: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), request.password);
  if (!user || !valid || user.disabledAt) {
    throw new AppError('unauthenticated', 'Wrong email or password');
  }
  await clearLoginAttempts(request.email, clientIp);
  const session = await createSession(user.id, secret);
  return { ...session, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
