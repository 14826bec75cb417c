import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { env } from '../env';

export type { Prisma } from './generated/client';

// One client per process; Next.js dev reloads modules, so keep it on globalThis.
const globalForPrisma = globalThis as unknown as { ferryPrisma?: PrismaClient };

export function prisma(): PrismaClient {
  if (!globalForPrisma.ferryPrisma) {
    globalForPrisma.ferryPrisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }),
    });
  }
  return globalForPrisma.ferryPrisma;
}

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.ferryPrisma?.$disconnect();
  globalForPrisma.ferryPrisma = undefined;
}
