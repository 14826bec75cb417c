import pg from 'pg';
import { loadLocalEnvFile } from '../lib/env-file';
import { hashPassword } from '../lib/auth/password';
import { upsertUser } from '../lib/users/manage-users';
import { disconnectPrisma, prisma } from '../lib/db/client';
import { closeCachedConnectors } from '../lib/engine/connector-cache';
import { seedDemoPlan } from './demo-data/demo-plan';
import { seedDemoSync } from './demo-data/demo-sync';
import { seedDemoCsv } from './demo-data/demo-csv';

loadLocalEnvFile();

/** Demo logins, printed by `npm run demo`; also used by the end-to-end tests. */
export const demoUsers = [
  { email: 'admin@ferry.local', name: 'Ada Admin', role: 'admin', password: 'ferry-admin-demo' },
  { email: 'analyst@ferry.local', name: 'Ana Analyst', role: 'analyst', password: 'ferry-analyst-demo' },
  { email: 'viewer@ferry.local', name: 'Vic Viewer', role: 'viewer', password: 'ferry-viewer-demo' },
] as const;

/** The two demo databases as connections, so the demo starts one click from a mapping. */
export function demoConnections(legacyDatabase = 'legacy_crm', targetDatabase = 'new_crm') {
  // docker-compose runs the databases on other hosts.
  const mariadbHost = process.env.DEMO_MARIADB_HOST ?? '127.0.0.1';
  const postgresHost = process.env.DEMO_POSTGRES_HOST ?? '127.0.0.1';
  return [
    { name: 'Legacy CRM (MariaDB)', kind: 'mysql', host: mariadbHost, port: 3306, database: legacyDatabase, username: 'root', sslMode: 'disable' },
    { name: 'New CRM (PostgreSQL)', kind: 'postgres', host: postgresHost, port: 5432, database: targetDatabase, username: 'postgres', sslMode: 'disable', schema: 'public' },
  ] as const;
}

export interface SeedDemoOptions {
  /** This is a demo installation; default: FERRY_DEMO=1 in the environment. */
  demo?: boolean;
  /** Tests only: create or reset the demo users (known password, enabled) even when users exist. */
  resetUsers?: boolean;
}

export const DEMO_FLAG_MISSING =
  'Refusing to seed the demo logins: their passwords are published. Set FERRY_DEMO=1 only for a demo installation; a real one starts with `npm run admin:create`.';

/** Serialises concurrent seeds (two web containers starting at once) so only one finds the table empty. */
const SEED_LOCK = 7211000017;

/**
 * The demo's users and connections, for a demo installation only. Users are created only
 * while the users table is empty: once anyone exists (an earlier run, or a real
 * installation), none is created, reset or re-enabled, so a changed demo password or a
 * disabled demo admin stays that way. Connections are added when missing, never changed.
 */
export async function seedDemo(legacyDatabase?: string, targetDatabase?: string, options: SeedDemoOptions = {}): Promise<{ usersCreated: number }> {
  if (!(options.demo ?? process.env.FERRY_DEMO === '1')) throw new Error(DEMO_FLAG_MISSING);
  let usersCreated = 0;
  if (options.resetUsers) {
    for (const user of demoUsers) await upsertUser({ ...user });
    usersCreated = demoUsers.length;
  } else {
    const hashed = await Promise.all(demoUsers.map(async ({ password, ...user }) => ({ ...user, passwordHash: await hashPassword(password) })));
    usersCreated = await prisma().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if ((await tx.user.count()) > 0) return 0;
      await tx.user.createMany({ data: hashed });
      return hashed.length;
    });
  }
  for (const connection of demoConnections(legacyDatabase, targetDatabase)) {
    await prisma().connection.upsert({ where: { name: connection.name }, create: connection, update: {} });
  }
  return { usersCreated };
}

/**
 * Held for a whole seed run on a connection of its own: two seeds at once (two web containers
 * starting together) would otherwise both find the sync mapping or the file source missing
 * and both create it; the second now waits and finds what the first made.
 */
const SEED_RUN_LOCK = 7211000018;

if (import.meta.url === `file://${process.argv[1]}`) {
  const lock = new pg.Client({ connectionString: process.env.DATABASE_URL });
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [SEED_RUN_LOCK]);
    const { usersCreated } = await seedDemo();
    console.log(
      usersCreated
        ? `Seeded ${usersCreated} demo users and the demo connections.`
        : 'Users exist already: demo logins left as they are (a changed password or a disabled user stays so). Demo connections checked.',
    );
    const [legacy, target] = demoConnections();
    const names = { legacy: legacy.name, target: target.name };
    console.log((await seedDemoSync(names)).message);
    console.log((await seedDemoPlan(names)).message);
    console.log((await seedDemoCsv(names)).message);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  } finally {
    await closeCachedConnectors().catch(() => undefined);
    await disconnectPrisma();
    await lock.end().catch(() => undefined);
  }
}
