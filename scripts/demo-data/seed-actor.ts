import type { Actor } from '../../lib/auth/roles';
import { prisma } from '../../lib/db/client';

/** The demo admin, or else the first enabled admin: the demo's mappings, sync and plan are created in their name. */
export async function seedActor(): Promise<Actor | null> {
  const users = await prisma().user.findMany({ where: { role: 'admin', disabledAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true, email: true, name: true, role: true } });
  return users.find((u) => u.email === 'admin@ferry.local') ?? users[0] ?? null;
}
