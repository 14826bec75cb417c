import { cookies } from 'next/headers';
import { route } from '@/app/_server/route';
import { revokeSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import { env } from '@/lib/env';

export const POST = route({ permission: 'public' }, async () => {
  const jar = await cookies();
  await revokeSession(jar.get(SESSION_COOKIE)?.value, env().SESSION_SECRET);
  jar.delete(SESSION_COOKIE);
  return { ok: true };
});
