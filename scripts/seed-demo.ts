import { loadLocalEnvFile } from '../lib/env-file';
import { upsertUser } from '../lib/users/manage-users';
import { disconnectPrisma, prisma } from '../lib/db/client';

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

export async function seedDemo(legacyDatabase?: string, targetDatabase?: string) {
  for (const user of demoUsers) await upsertUser({ ...user });
  for (const connection of demoConnections(legacyDatabase, targetDatabase)) {
    await prisma().connection.upsert({ where: { name: connection.name }, create: connection, update: {} });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await seedDemo();
  await disconnectPrisma();
  console.log(`Seeded ${demoUsers.length} demo users and the demo connections.`);
}
