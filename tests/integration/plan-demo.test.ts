import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { startPlanRun } from '@/lib/plans/start-plan-run';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { loadDemoData } from '../../scripts/demo-data/load-demo-data';
import { checkPlanRemap } from '../../scripts/bench/plan-remap-check';
import { jobTotals, testAdmin, testConnection } from './support/fixtures';
import { createDemoPlan, idMapFingerprints, planRunJobs, runFailures, tableFingerprint, waitForPlanRun, type DemoPlanIds } from './support/plan';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { MARIADB, PG_URL } from './support/test-env';
import { expectEventually } from './support/wait';

// Issue 19: the whole legacy CRM as one plan of four mappings, on real MariaDB data, a real
// PostgreSQL target whose contacts and deals get generated ids, and real worker processes.
const CUSTOMERS = 2000;
const LEGACY = 'ferry_it_plan_legacy';
const TARGET = 'ferry_it_plan_new';
const KILL_TARGET = 'ferry_it_plan_new_kill';
const TABLES = ['contacts', 'deals', 'payments', 'cases'] as const;
const OPTIONS = { chunkRows: 1500, batchRows: 250 };
const recovery = { WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' };

let actor: Actor;
let legacy: mysql.Connection;
let target: pg.Client;
let killTarget: pg.Client;
let plan: DemoPlanIds;
let firstRunId: string;
const workers: SpawnedWorker[] = [];

async function targetClient(database: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PG_URL(database) });
  await client.connect();
  // Generated ids far from the legacy keys: a child holding a legacy key cannot pass for a remapped one.
  await client.query('ALTER TABLE contacts ALTER COLUMN id RESTART WITH 500000');
  return client;
}

/** Source key of an error row: its only part (every demo table has a one-column key). */
const keyOf = (row: { sourceKey: unknown }) => (row.sourceKey as (string | number)[])[0];

async function legacyPairs(sql: string): Promise<Map<string, number | null>> {
  const [rows] = await legacy.query<mysql.RowDataPacket[]>(sql);
  return new Map(rows.map((r) => [String(r.k), r.parent === null ? null : Number(r.parent)]));
}

/** Error rows of a job, by source key (as text). */
async function errorsOf(jobId: string) {
  const rows = await prisma().errorRow.findMany({ where: { jobId }, select: { id: true, sourceKey: true, code: true, parentErrorRowId: true } });
  return new Map(rows.map((r) => [String(keyOf(r)), r]));
}

async function stepJobs(runId: string, of: DemoPlanIds = plan) {
  const jobs = await planRunJobs(runId);
  const jobOf = (mappingId: string) => jobs.find((j) => j.mappingId === mappingId) ?? assert.fail(`no job for mapping ${mappingId}`);
  return { all: jobs, contacts: jobOf(of.contacts), deals: jobOf(of.deals), payments: jobOf(of.payments), cases: jobOf(of.cases) };
}

async function fingerprints(client: pg.Client) {
  return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await tableFingerprint(client, table)] as const)));
}

before(async () => {
  await loadDemoData({ customers: CUSTOMERS, legacyDatabase: LEGACY, targetDatabase: TARGET, reset: true });
  await loadDemoData({ customers: CUSTOMERS, legacyDatabase: LEGACY, targetDatabase: KILL_TARGET, reset: true });
  actor = await testAdmin();
  legacy = await mysql.createConnection({ ...MARIADB, database: LEGACY });
  target = await targetClient(TARGET);
  killTarget = await targetClient(KILL_TARGET);
  const source = await testConnection(actor, 'mysql', LEGACY);
  const tgt = await testConnection(actor, 'postgres', TARGET);
  plan = await createDemoPlan(actor, 'it plan demo', source.id, tgt.id);
  for (let i = 0; i < 2; i++) workers.push(spawnWorker(recovery));
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await legacy?.end();
  await target?.end();
  await killTarget?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('the legacy CRM as one plan', () => {
  test('runs parents first and every deal, payment and case points at the record made from its legacy parent', async () => {
    const run = await startPlanRun(actor, plan.planId, { options: OPTIONS });
    firstRunId = run.id;
    assert.equal(await waitForPlanRun(run.id), 'completed_with_errors', 'the legacy data fails some rows of every table');
    const jobs = await stepJobs(run.id);
    assert.equal(jobs.all.length, 4);
    assert.ok(jobs.all.every((j) => j.planStep === 'load' && j.status === 'completed_with_errors'), JSON.stringify(jobs.all));
    // Each parent finished before its children started.
    const times = await prisma().job.findMany({ where: { planRunId: run.id }, select: { mappingId: true, createdAt: true, finishedAt: true } });
    const timeOf = (id: string) => times.find((t) => t.mappingId === id) ?? assert.fail('missing job');
    for (const [child, parent] of [[plan.deals, plan.contacts], [plan.cases, plan.contacts], [plan.payments, plan.deals]]) {
      assert.ok((timeOf(parent).finishedAt as Date) <= timeOf(child).createdAt, 'a child started before its parent finished');
    }

    const totals = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await jobTotals(jobs[t].id)] as const)));
    assert.deepEqual(
      { customers: totals.contacts.read, orders: totals.deals.read, tickets: totals.cases.read },
      { customers: CUSTOMERS, orders: 3 * CUSTOMERS, tickets: CUSTOMERS },
    );
    for (const table of TABLES) {
      assert.equal(totals[table].written + totals[table].failed, totals[table].read, `${table}: every row written or an error row`);
      assert.ok(totals[table].written > 0 && totals[table].failed > 0, `${table}: ${JSON.stringify(totals[table])}`);
    }
    const generated = (await target.query<{ n: number; low: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE id < 500000)::int AS low FROM contacts')).rows[0];
    assert.deepEqual(generated, { n: totals.contacts.written, low: 0 }, 'every contact has an id the new CRM generated');

    const remap = await checkPlanRemap(target, { ...MARIADB, database: LEGACY });
    assert.deepEqual(remap.checked, { deals: totals.deals.written, payments: totals.payments.written, cases: totals.cases.written });
    assert.deepEqual(remap.mismatches, { deals: 0, payments: 0, cases: 0 });

    // Orders fail only through their customer: every order of a landed customer is a deal.
    const landed = new Set((await target.query<{ legacy_id: string }>('SELECT legacy_id FROM contacts')).rows.map((r) => Number(r.legacy_id)));
    const orders = await legacyPairs('SELECT order_no AS k, cust_id AS parent FROM orders');
    const expectedDeals = [...orders.values()].filter((cust) => cust !== null && landed.has(cust)).length;
    assert.equal(totals.deals.written, expectedDeals);
  });

  test('orders of missing customers and of customers that failed are orphans, the latter linked to the customer\'s error row', async () => {
    const jobs = await stepJobs(firstRunId);
    const customerErrors = await errorsOf(jobs.contacts.id);
    const dealErrors = await errorsOf(jobs.deals.id);
    const orders = await legacyPairs('SELECT order_no AS k, cust_id AS parent FROM orders');
    let missing = 0;
    let failed = 0;
    for (const [orderNo, cust] of orders) {
      if (cust === null) continue;
      const error = dealErrors.get(orderNo);
      if (cust > CUSTOMERS) {
        missing += 1;
        assert.equal(error?.code, 'parent_not_migrated', `order ${orderNo} of customer ${cust}, who never existed`);
        assert.equal(error?.parentErrorRowId, null);
      } else if (customerErrors.has(String(cust))) {
        failed += 1;
        assert.equal(error?.code, 'parent_not_migrated', `order ${orderNo} of customer ${cust}, who failed`);
        assert.equal(error?.parentErrorRowId, customerErrors.get(String(cust))?.id, `order ${orderNo} links to customer ${cust}'s error row`);
      } else {
        assert.equal(error, undefined, `order ${orderNo} of a migrated customer`);
      }
    }
    assert.ok(missing > 0 && failed > 0, `orphans of both kinds (${missing} of missing customers, ${failed} of failed ones)`);
    const orphans = [...dealErrors.values()].filter((e) => e.code === 'parent_not_migrated').length;
    assert.equal(orphans, missing + failed, 'no other order is an orphan');

    // One level down: a payment of an order that failed waits for that order's error row
    // (a payment without a method fails its own check first).
    const paymentErrors = await errorsOf(jobs.payments.id);
    const payments = await legacy.query<mysql.RowDataPacket[]>('SELECT id, order_no FROM payments WHERE method IS NOT NULL');
    let waiting = 0;
    for (const payment of payments[0]) {
      const dealError = dealErrors.get(String(payment.order_no));
      if (!dealError) continue;
      waiting += 1;
      const error = paymentErrors.get(String(payment.id));
      assert.equal(error?.code, 'parent_not_migrated', `payment ${payment.id} of failed order ${payment.order_no}`);
      assert.equal(error?.parentErrorRowId, dealError.id);
    }
    assert.ok(waiting > 0);
  });

  test('running the plan again changes nothing: same tables, same id maps, the same rows failing for the same reasons', async () => {
    const tablesBefore = await fingerprints(target);
    const idsBefore = await idMapFingerprints([plan.contacts, plan.deals]);
    assert.ok(idsBefore[plan.contacts].n > 0 && idsBefore[plan.deals].n > 0);
    const errorRowsBefore = await prisma().errorRow.count({ where: { job: { planRunId: firstRunId } } });

    const run = await startPlanRun(actor, plan.planId, { options: OPTIONS });
    assert.equal(await waitForPlanRun(run.id), 'completed_with_errors');
    assert.equal((await planRunJobs(run.id)).length, 4);

    assert.deepEqual(await fingerprints(target), tablesBefore);
    assert.deepEqual(await idMapFingerprints([plan.contacts, plan.deals]), idsBefore);
    assert.deepEqual(await runFailures(run.id), await runFailures(firstRunId), 'no row fails that did not fail before');
    assert.equal(await prisma().errorRow.count({ where: { job: { planRunId: firstRunId } } }), errorRowsBefore);
  });

  test('a worker killed with SIGKILL while the deals step runs: the other finishes the plan, as a clean run would have', async () => {
    const source = await testConnection(actor, 'mysql', LEGACY);
    const tgt = await testConnection(actor, 'postgres', KILL_TARGET);
    const clean = await stepJobs(firstRunId);
    const killPlan = await createDemoPlan(actor, 'it plan demo kill', source.id, tgt.id);
    // Small batches: the deals step lasts long enough to be caught mid-way.
    const run = await startPlanRun(actor, killPlan.planId, { options: { chunkRows: 3000, batchRows: 50 } });
    const chunk = await expectEventually(
      async () => {
        const deals = await prisma().job.findFirst({ where: { planRunId: run.id, mappingId: killPlan.deals }, select: { id: true } });
        if (!deals) throw new Error('the deals step has not started');
        const running = await prisma().chunk.findFirst({ where: { jobId: deals.id, status: 'running', workerId: { not: null }, rowsRead: { gt: 0 } }, select: { id: true, jobId: true, workerId: true } });
        if (!running) throw new Error('no deals chunk is running yet');
        return running;
      },
      { timeoutMs: 90_000, intervalMs: 20 },
    );
    const pid = Number((chunk.workerId as string).split('-').at(-2));
    const victim = workers.find((w) => w.process.pid === pid);
    assert.ok(victim, `the chunk runs in one of our workers (${chunk.workerId})`);
    await victim.stop('SIGKILL');
    assert.ok((await jobTotals(chunk.jobId)).read < 3 * CUSTOMERS, 'the kill came too late to test a takeover');

    assert.equal(await waitForPlanRun(run.id, 180_000), 'completed_with_errors');
    const jobs = await stepJobs(run.id, killPlan);
    for (const table of TABLES) {
      const [got, want] = [await jobTotals(jobs[table].id), await jobTotals(clean[table].id)];
      assert.ok(got.written > 0, `${table}: rows landed`);
      assert.deepEqual({ read: got.read, written: got.written, failed: got.failed }, { read: want.read, written: want.written, failed: want.failed }, table);
    }
    for (const table of TABLES) {
      const [got, want] = [await killTarget.query(`SELECT count(*)::int AS n FROM ${table}`), await target.query(`SELECT count(*)::int AS n FROM ${table}`)];
      assert.equal(got.rows[0].n, want.rows[0].n, `${table} holds as many rows as after a clean run`);
    }
    const byCode = async (runId: string) => (await prisma().errorRow.groupBy({ by: ['code'], where: { job: { planRunId: runId } }, _count: { _all: true } }))
      .map((g) => `${g.code}=${g._count._all}`).sort();
    assert.deepEqual(await byCode(run.id), await byCode(firstRunId));
    const remap = await checkPlanRemap(killTarget, { ...MARIADB, database: LEGACY });
    assert.deepEqual(remap.mismatches, { deals: 0, payments: 0, cases: 0 });
    const taken = await prisma().jobEvent.count({ where: { jobId: chunk.jobId, type: { in: ['chunk_taken_over', 'chunk_retry'] } } });
    assert.ok(taken >= 1, 'the takeover is in the job log');
  });
});
