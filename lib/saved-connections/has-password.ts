import { prisma } from '../db/client';

// `hasPassword` is computed in SQL so the ciphertext is never loaded for a view.
export async function hasPasswordById(ids: string[]): Promise<Set<string>> {
  const rows = await prisma().connection.findMany({
    where: { id: { in: ids }, passwordEncrypted: { not: null } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}
