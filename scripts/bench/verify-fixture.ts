import path from 'node:path';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { createConnection } from '@/lib/connections/save-connection';
import { applyMigrations } from '@/lib/db/apply-migrations';
import { prisma } from '@/lib/db/client';
import { createMapping } from '@/lib/mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { upsertUser } from '@/lib/users/manage-users';
import { spawnWorker, type SpawnedWorker } from '../../tests/integration/support/spawn-worker';
import { BENCH, MARIADB, PG_URL } from './bench-env';

/**
 * Setup of the verification benchmark. Metadata database and queue prefix of its own
 * (ferry_bench_verify), so it never disturbs a migration benchmark running at the same
 * time; the data databases are the migration benchmark's (legacy_crm_bench, new_crm_bench).
 */
export const VERIFY_BENCH = {
  metadataUrl: PG_URL('ferry_bench_verify'),
  queuePrefix: 'ferry_bench_verify',
  /** Plain copy of the legacy customers in new_crm_bench, typed for PostgreSQL. */
  copyTable: 'customers_copy',
} as const;

const COPY_COLUMNS = ['cust_id', 'first_nm', 'last_nm', 'email_addr', 'phone', 'status', 'created_dt', 'company', 'country', 'notes', 'last_modified'];

const CREATE_COPY = `CREATE TABLE ${VERIFY_BENCH.copyTable} (
  cust_id bigint PRIMARY KEY, first_nm text, last_nm text, email_addr text, phone text, status char(1),
  created_dt text, company text, country char(2), notes text, last_modified timestamptz)`;

/** MariaDB customers → customers_copy: every field a plain copy, so both sides hash in SQL. */
export const plainCopySpec: MappingSpecInput = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: VERIFY_BENCH.copyTable, key: ['cust_id'] },
  fields: COPY_COLUMNS.map((c) => ({ target: c, sources: [c] })),
};

export async function withTarget<T>(use: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: PG_URL(BENCH.target) });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

/** A clean metadata database and queue, an admin, and the connections. */
export async function prepareVerifyMetadata(): Promise<{ actor: Actor; source: string; target: string }> {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS ferry_bench_verify WITH (FORCE)');
  await admin.end();
  await applyMigrations(VERIFY_BENCH.metadataUrl, path.resolve(import.meta.dirname, '../../prisma/migrations'));
  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${VERIFY_BENCH.queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const user = await upsertUser({ email: 'bench-admin@ferry.test', name: 'Bench Admin', role: 'admin', password: 'bench-admin-password' });
  const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const connection = (name: string, kind: 'postgres' | 'mysql', database: string) =>
    createConnection(actor, {
      name,
      kind,
      host: '127.0.0.1',
      port: kind === 'postgres' ? 5432 : 3306,
      database,
      username: kind === 'postgres' ? 'postgres' : 'root',
      sslMode: 'disable',
      schema: kind === 'postgres' ? 'public' : undefined,
    });
  const [source, target] = await Promise.all([connection('bench legacy (MariaDB)', 'mysql', BENCH.legacyMaria), connection('bench new CRM (PostgreSQL)', 'postgres', BENCH.target)]);
  return { actor, source: source.id, target: target.id };
}

/** Creates customers_copy when missing or not of the expected size; true when it must be (re)loaded. */
export async function ensureCopyTable(customers: number): Promise<boolean> {
  return withTarget(async (db) => {
    const exists = (await db.query(`SELECT to_regclass('public.${VERIFY_BENCH.copyTable}') IS NOT NULL AS e`)).rows[0].e as boolean;
    if (exists && Number((await db.query(`SELECT count(*) AS n FROM ${VERIFY_BENCH.copyTable}`)).rows[0].n) === customers) return false;
    await db.query(`DROP TABLE IF EXISTS ${VERIFY_BENCH.copyTable}`);
    await db.query(CREATE_COPY);
    return true;
  });
}

export async function benchMapping(actor: Actor, name: string, source: string, target: string, spec: MappingSpecInput) {
  return createMapping(actor, { name, sourceConnectionId: source, targetConnectionId: target, spec: mappingSpecSchema.parse(spec) });
}

/**
 * The lower bound: one in-database hash scan of each side, PostgreSQL's
 * sum(hashtext(t::text)) and MariaDB's equivalent, CRC32 of the row's columns. Run one
 * after the other (`sequential`) and both at once (`concurrent`), in seconds.
 */
export async function hashScans(targetTable: string): Promise<{ sequential: number; concurrent: number; source: number; target: number }> {
  const maria = await mysql.createConnection({ ...MARIADB, database: BENCH.legacyMaria });
  try {
    return await withTarget(async (db) => {
      const columns = COPY_COLUMNS.join(', ');
      const scanSource = async () => {
        const t = performance.now();
        await maria.query(`SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', ${columns}))) FROM customers`);
        return (performance.now() - t) / 1000;
      };
      const scanTarget = async () => {
        const t = performance.now();
        await db.query(`SELECT count(*), sum(hashtext(t::text)::bigint) FROM ${targetTable} t`);
        return (performance.now() - t) / 1000;
      };
      await Promise.all([scanSource(), scanTarget()]); // warm both caches first
      const source = await scanSource();
      const target = await scanTarget();
      const t = performance.now();
      await Promise.all([scanSource(), scanTarget()]);
      return { sequential: source + target, concurrent: (performance.now() - t) / 1000, source, target };
    });
  } finally {
    await maria.end();
  }
}

/** Alters, deletes and inserts `share` of the target rows; returns how many of each. */
export async function tamperTarget(table: string, keyColumn: string, customers: number, share: number): Promise<{ altered: number; deleted: number; inserted: number }> {
  const every = Math.round(1 / share);
  return withTarget(async (db) => {
    const altered = (await db.query(`UPDATE ${table} SET last_nm = coalesce(last_nm, '') || ' (tampered)' WHERE ${keyColumn} % ${every} = 1`)).rowCount ?? 0;
    const deleted = (await db.query(`DELETE FROM ${table} WHERE ${keyColumn} % ${every} = 2`)).rowCount ?? 0;
    const inserted =
      (
        await db.query(
          `INSERT INTO ${table} (${keyColumn}, last_nm) SELECT ${customers} + g, 'inserted' FROM generate_series(1, ${Math.round(customers * share)}) g`,
        )
      ).rowCount ?? 0;
    return { altered, deleted, inserted };
  });
}

export async function reportCounts(reportId: string) {
  return prisma().consistencyReport.findUniqueOrThrow({
    where: { id: reportId },
    select: { matched: true, different: true, missing: true, extra: true, nullKeys: true, duplicateKeys: true, score: true, streamedRows: true, hashQueries: true, createdAt: true, finishedAt: true },
  });
}

/** Worker processes as production runs them, once each has said it started. */
export async function startWorkers(count: number, concurrency: string): Promise<SpawnedWorker[]> {
  const workers = Array.from({ length: count }, () => spawnWorker({ WORKER_CONCURRENCY: concurrency }));
  for (const worker of workers) {
    while (!/\] started \(concurrency/.test(worker.output())) {
      if (worker.process.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return workers;
}

export async function stopWorkers(workers: SpawnedWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop('SIGTERM')));
}
