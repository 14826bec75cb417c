import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma, type Prisma } from '@/lib/db/client';
import { jobOptionsSchema } from '@/lib/schemas/job-request';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { createSync } from '@/lib/sync/save-sync';
import { startSync, stopSync } from '@/lib/sync/start-sync';
import { freshMariaDatabase, freshPgDatabase, testAdmin, testConnection, testMapping } from './fixtures';
import { spawnWorker, type SpawnedWorker } from './spawn-worker';
import { closeSyncTest } from './sync';
import { MARIADB, PG_URL } from './test-env';
import { expectEventually, waitForJob } from './wait';

/**
 * Sync tests against a PostgreSQL and a MariaDB source (one throwaway database each, same
 * name) and a PostgreSQL target, with two real workers: tables of (id, name, region,
 * updated_at, deleted_at), cursor syncs started the way an admin starts them, and waits for
 * runs, reconciliations and target rows. `useSyncDatabases` sets it all up for a test file.
 */

const fast = { WORKER_CONCURRENCY: '3', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' };
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Filled by useSyncDatabases' before(): the signed-in admin, the target client, the syncs to stop at the end. */
class SyncFixture {
  sourceDb = '';
  targetDb = '';
  actor!: Actor;
  target!: pg.Client;
  running: string[] = [];
}
export const fx = new SyncFixture();
let workers: SpawnedWorker[] = [];
const sources = new Map<SourceSystem, Session>();

export interface Session {
  exec(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface SourceSystem {
  kind: 'postgres' | 'mysql';
  prefix: string;
  /** Cursor column types, NOT NULL and nullable. */
  stamp: string;
  nullableStamp: string;
  /** The writer's clock: a transaction's start on PostgreSQL, the statement's on MariaDB. */
  now: string;
  hourAgo: string;
  dayEarlier(column: string): string;
  fresh(): Promise<void>;
  session(): Promise<Session>;
}

export const postgresSource: SourceSystem = {
  kind: 'postgres',
  prefix: 'pg',
  stamp: 'timestamptz(6) NOT NULL',
  nullableStamp: 'timestamptz(6) NULL',
  now: 'now()',
  hourAgo: "now() - interval '1 hour'",
  dayEarlier: (c) => `${c} - interval '1 day'`,
  async fresh() {
    await (await freshPgDatabase(fx.sourceDb)).end();
  },
  async session() {
    const client = new pg.Client({ connectionString: PG_URL(fx.sourceDb) });
    await client.connect();
    return { exec: async (sql, values) => (await client.query(sql, values)).rows, close: () => client.end() };
  },
};

export const mariaSource: SourceSystem = {
  kind: 'mysql',
  prefix: 'my',
  stamp: 'TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)',
  nullableStamp: 'TIMESTAMP(6) NULL DEFAULT NULL',
  now: 'NOW(6)',
  hourAgo: 'NOW(6) - INTERVAL 1 HOUR',
  dayEarlier: (c) => `${c} - INTERVAL 1 DAY`,
  async fresh() {
    await (await freshMariaDatabase(fx.sourceDb)).end();
  },
  async session() {
    const connection = await mysql.createConnection({ ...MARIADB, database: fx.sourceDb });
    return {
      exec: async (sql, values) => {
        const [rows] = await connection.query(sql.replace(/\$\d+/g, '?'), values);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      },
      close: () => connection.end(),
    };
  },
};

export const src = (system: SourceSystem) => sources.get(system) as Session;

/** A source table (id, name, region, updated_at, deleted_at) seeded with rows stamped an hour ago, and its empty target. */
export async function tables(system: SourceSystem, table: string, rows: number, region: (id: number) => string = () => 'eu') {
  const s = src(system);
  await s.exec(`DROP TABLE IF EXISTS ${table}`);
  await s.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, name varchar(100) NOT NULL, region varchar(10) NOT NULL, updated_at ${system.stamp}, deleted_at ${system.nullableStamp})`);
  await s.exec(`CREATE INDEX ${table}_cursor ON ${table} (updated_at, id)`);
  if (rows > 0) await insertRows(system, table, Array.from({ length: rows }, (_, i) => i + 1), system.hourAgo, region);
  await fx.target.query(`DROP TABLE IF EXISTS ${table}`);
  await fx.target.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL, region text, updated_at timestamptz(6), deleted_at timestamptz)`);
}

/** One statement: every row gets the same stamp. */
export async function insertRows(system: SourceSystem, table: string, ids: number[], stamp: string, region: (id: number) => string = () => 'eu', session = src(system)) {
  const values = ids.map((id) => `(${id}, 'Person ${id}', '${region(id)}', ${stamp})`).join(', ');
  await session.exec(`INSERT INTO ${table} (id, name, region, updated_at) VALUES ${values}`);
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  batchRows?: number;
  filter?: unknown[];
}

/** Creates and starts a cursor sync (every second, lag 1 s, no scheduled verification unless asked), waiting for its initial load. */
export async function startCursorSync(system: SourceSystem, table: string, options: StartOptions = {}) {
  const source = await testConnection(fx.actor, system.kind, fx.sourceDb);
  const tgt = await testConnection(fx.actor, 'postgres', fx.targetDb);
  const mapping = await testMapping(fx.actor, `cursor sync ${table}`, source.id, tgt.id, {
    source: { table, key: ['id'], filter: options.filter ?? [] },
    target: { table, key: ['id'] },
    fields: ['id', 'name', 'region', 'updated_at'].map((c) => ({ target: c, sources: [c] })),
  });
  const settings = syncSettingsSchema.parse({ mode: 'cursor', cursorColumn: 'updated_at', everySeconds: 1, lagMs: 1000, verifyMinutes: 0, ...options.settings });
  const sync = await createSync(fx.actor, { mappingId: mapping.id, settings });
  const { jobId, loadJobId } = await startSync(fx.actor, sync.id);
  fx.running.push(sync.id);
  const changed = Date.now();
  // Small batches, so that a few rows cross batch boundaries (the job's options are read per run).
  if (options.batchRows) {
    await prisma().job.update({ where: { id: jobId }, data: { options: { ...jobOptionsSchema.parse({}), batchRows: options.batchRows } as Prisma.InputJsonValue } });
  }
  if (loadJobId) assert.equal(await waitForJob(loadJobId, ['completed', 'completed_with_errors'], 60_000), 'completed');
  // Every run from here on has the options above.
  await ranAfter(sync.id, changed + 300);
  return { sync, jobId, loadJobId };
}

/** Waits for a run that started after `at` (epoch ms). */
export async function ranAfter(syncId: string, at: number, timeoutMs = 20_000) {
  await expectEventually(async () => {
    const row = await prisma().sync.findUniqueOrThrow({ where: { id: syncId }, select: { lastRunAt: true } });
    assert.ok(row.lastRunAt && row.lastRunAt.getTime() > at, 'no run since');
    return true;
  }, { timeoutMs });
}

/**
 * Makes the key reconciliation due now and waits until one has finished. It must have run
 * before (a run that loaded the sync earlier saw it not due), so the one that ends next started after this.
 */
export async function reconcileOnce(syncId: string) {
  await firstReconciliation(syncId);
  const at = new Date();
  await prisma().sync.update({ where: { id: syncId }, data: { lastReconcileAt: null } });
  await expectEventually(async () => {
    const row = await prisma().sync.findUniqueOrThrow({ where: { id: syncId }, select: { lastReconcileAt: true } });
    assert.ok(row.lastReconcileAt && row.lastReconcileAt > at, 'not reconciled yet');
    return true;
  });
}

/** The reconciliation a sync does on its first run has finished. */
export async function firstReconciliation(syncId: string) {
  await expectEventually(async () => (await prisma().sync.findUniqueOrThrow({ where: { id: syncId } })).lastReconcileAt !== null);
}

export const targetRows = async (table: string) =>
  (await fx.target.query<{ id: number; name: string; region: string; deleted_at: string | null }>(`SELECT id, name, region, deleted_at::text FROM ${table} ORDER BY id`)).rows;
export const targetIds = async (table: string) => (await targetRows(table)).map((r) => r.id);
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const eventsOf = (jobId: string, type: string) => prisma().jobEvent.findMany({ where: { jobId, type }, orderBy: { id: 'asc' } });

export async function stop(syncId: string, jobId: string) {
  await stopSync(fx.actor, syncId);
  const status = await waitForJob(jobId, ['cancelled'], 30_000).catch(async (error: Error) => {
    // A stop that hangs says where: the sync unit's state, the job's last events, what the workers printed last.
    const units = await prisma().chunk.findMany({ where: { jobId }, select: { status: true, leaseId: true, heartbeatAt: true, attempts: true } });
    const events = await prisma().jobEvent.findMany({ where: { jobId }, orderBy: { id: 'desc' }, take: 10, select: { at: true, type: true, message: true } });
    const said = workers.map((w, i) => `worker ${i + 1}:\n${w.output().slice(-2500)}`).join('\n');
    throw new Error(`${error.message}\nunits: ${JSON.stringify(units)}\nlast events: ${JSON.stringify(events)}\n${said}`);
  });
  assert.equal(status, 'cancelled');
  fx.running.splice(fx.running.indexOf(syncId), 1);
}

/** Fresh source databases on both systems and a fresh target, two workers; all stopped and closed after the file. */
export function useSyncDatabases(sourceDb: string, targetDb: string): void {
  fx.sourceDb = sourceDb;
  fx.targetDb = targetDb;
  before(async () => {
    fx.actor = await testAdmin();
    fx.target = await freshPgDatabase(targetDb);
    for (const system of [postgresSource, mariaSource]) {
      await system.fresh();
      sources.set(system, await system.session());
    }
    workers = [spawnWorker(fast), spawnWorker(fast)];
  });
  after(async () => {
    for (const id of [...fx.running]) await stopSync(fx.actor, id).catch(() => undefined);
    const slots = new pg.Client({ connectionString: PG_URL(sourceDb) });
    await slots.connect();
    const sessions = [...sources.values()].map((session) => ({ end: () => session.close() }));
    await closeSyncTest(workers, slots, sourceDb, [...sessions, fx.target]);
  });
}
