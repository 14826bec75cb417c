import { spawn } from 'node:child_process';
import mysql from 'mysql2/promise';
import { loadDemoData } from '../scripts/demo-data/load-demo-data';
import { seedDemo } from '../scripts/seed-demo';
import { disconnectPrisma, prisma } from '../lib/db/client';
import { E2E_CUSTOMERS, E2E_LARGE, E2E_LEGACY_DB, E2E_MARIADB_USER, E2E_TARGET_DB } from './fixtures/e2e-env';

/** Demo data, users and one real worker process for the journeys. */
export default async function globalSetup() {
  await loadDemoData({ customers: E2E_CUSTOMERS, legacyDatabase: E2E_LEGACY_DB, targetDatabase: E2E_TARGET_DB, reset: true });
  await loadDemoData({ ...E2E_LARGE, reset: true });
  const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  for (const host of ['%', 'localhost', '127.0.0.1']) {
    await db.query(`CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?`, [E2E_MARIADB_USER.user, host, E2E_MARIADB_USER.password]);
    await db.query(`ALTER USER ?@? IDENTIFIED BY ?`, [E2E_MARIADB_USER.user, host, E2E_MARIADB_USER.password]);
    await db.query(`GRANT ALL ON \`${E2E_LEGACY_DB}\`.* TO ?@?`, [E2E_MARIADB_USER.user, host]);
  }
  await db.end();
  // The test database is the tests' own: demo users are reset to their known passwords.
  await seedDemo(E2E_LEGACY_DB, E2E_TARGET_DB, { demo: true, resetUsers: true });

  const spawnedAt = new Date();
  const worker = spawn('npx', ['tsx', 'workers/main.ts'], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env, detached: true });
  // Journeys start once the worker reports in, so none of them races its start-up.
  for (let waited = 0; ; waited += 250) {
    if (await prisma().workerProcess.count({ where: { startedAt: { gte: spawnedAt } } })) break;
    if (waited > 30_000) throw new Error('The worker process did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await disconnectPrisma();
  return async () => {
    if (worker.pid) process.kill(-worker.pid, 'SIGTERM');
  };
}
