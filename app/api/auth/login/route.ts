import { cookies } from 'next/headers';
import { route } from '@/app/_server/route';
import { clientAddressOf } from '@/lib/auth/client-address';
import { signIn, signInSchema } from '@/lib/auth/sign-in';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { env } from '@/lib/env';

export const POST = route({ permission: 'public', body: signInSchema }, async ({ body, request }) => {
  // The address Ferry's web server took from the socket and the trusted proxies, never
  // the client's own X-Forwarded-For (lib/auth/client-address.ts).
  const { cookieValue, expiresAt, user } = await signIn(body, clientAddressOf(request), env().SESSION_SECRET);
  (await cookies()).set(SESSION_COOKIE, cookieValue, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().COOKIE_SECURE === 'true',
    path: '/',
    expires: expiresAt,
  });
  return { user };
});
