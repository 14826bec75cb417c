import { cookies } from 'next/headers';
import { route } from '@/app/_server/route';
import { signIn, signInSchema } from '@/lib/auth/sign-in';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { env } from '@/lib/env';

export const POST = route({ permission: 'public', body: signInSchema }, async ({ body, request }) => {
  const ip = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip') || 'local';
  const { cookieValue, expiresAt, user } = await signIn(body, ip, env().SESSION_SECRET);
  (await cookies()).set(SESSION_COOKIE, cookieValue, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().COOKIE_SECURE === 'true',
    path: '/',
    expires: expiresAt,
  });
  return { user };
});
