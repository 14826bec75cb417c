import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { resolveSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import type { Actor } from '@/lib/auth/roles';
import { env } from '@/lib/env';

export async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  return resolveSession(jar.get(SESSION_COOKIE)?.value, env().SESSION_SECRET);
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireActorOrRedirect(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/login');
  return actor;
}
