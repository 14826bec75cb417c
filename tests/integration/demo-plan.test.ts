import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { startPlanRun } from '@/lib/plans/start-plan-run';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { DEMO_PLAN, DEMO_PLAN_MAPPINGS, seedDemoPlan } from '../../scripts/demo-data/demo-plan';
import { loadDemoData } from '../../scripts/demo-data/load-demo-data';
import { demoConnections, seedDemo } from '../../scripts/seed-demo';
import { checkPlanRemap } from '../../scripts/bench/plan-remap-check';
import { jobTotals, testAdmin } from './support/fixtures';
import { planRunJobs, waitForPlanRun } from './support/plan';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { MARIADB, PG_URL } from './support/test-env';

// Issue 19, item 7: the demo's new CRM generates contact and deal ids, and the demo seeds a
// plan whose children take those ids through their parents' id maps.
const LEGACY = 'legacy_crm_demo_plan_it';
const TARGET = 'new_crm_demo_plan_it';
const [legacyConnection, targetConnection] = demoConnections(LEGACY, TARGET);
const names = { legacy: legacyConnection.name, target: targetConnection.name };
const mappingNames = Object.values(DEMO_PLAN_MAPPINGS);

let actor: Actor;
let legacy: mysql.Connection;
let target: pg.Client;
let worker: SpawnedWorker | undefined;

before(async () => {
  await loadDemoData({ customers: 300, legacyDatabase: LEGACY, targetDatabase: TARGET, reset: true });
  actor = await testAdmin();
  // A clean slate in the shared test database: the demo's names may be left by an earlier run or another test.
  await prisma().plan.deleteMany({ where: { name: DEMO_PLAN } });
  await prisma().mapping.deleteMany({ where: { name: { in: mappingNames } } });
  await prisma().connection.deleteMany({ where: { name: { in: [names.legacy, names.target] } } });
  await seedDemo(LEGACY, TARGET, { demo: true });
  legacy = await mysql.createConnection({ ...MARIADB, database: LEGACY });
  target = new pg.Client({ connectionString: PG_URL(TARGET) });
  await target.connect();
  // Generated ids far from the legacy keys, so a child holding a legacy key cannot pass for a remapped one.
  await target.query('ALTER TABLE contacts ALTER COLUMN id RESTART WITH 500000');
});

after(async () => {
  await worker?.stop('SIGKILL');
  await legacy?.end();
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

async function mappingIds(): Promise<Record<keyof typeof DEMO_PLAN_MAPPINGS, string>> {
  const rows = await prisma().mapping.findMany({ where: { name: { in: mappingNames } }, select: { id: true, name: true } });
  const id = (name: string) => rows.find((r) => r.name === name)?.id ?? assert.fail(`mapping "${name}" is missing`);
  return { contacts: id(DEMO_PLAN_MAPPINGS.contacts), deals: id(DEMO_PLAN_MAPPINGS.deals), payments: id(DEMO_PLAN_MAPPINGS.payments), cases: id(DEMO_PLAN_MAPPINGS.cases) };
}

async function latestSpec(mappingId: string) {
  const version = await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId }, orderBy: { version: 'desc' }, select: { spec: true } });
  return mappingSpecSchema.parse(version.spec);
}

test('the demo seed creates the four mappings and their plan, references pointing at the parents, once', async () => {
  const first = await seedDemoPlan(names);
  assert.equal(first.created, true, first.message);
  const ids = await mappingIds();
  const plan = await prisma().plan.findUniqueOrThrow({ where: { name: DEMO_PLAN }, select: { members: { select: { mappingId: true } } } });
  assert.deepEqual(plan.members.map((m) => m.mappingId).sort(), Object.values(ids).sort());

  const contacts = await latestSpec(ids.contacts);
  assert.deepEqual(contacts.target.key, ['legacy_id']);
  assert.ok(!contacts.fields.some((f) => f.target === 'id'), 'the new CRM generates contacts.id');
  const reference = async (mappingId: string, field: string) => (await latestSpec(mappingId)).fields.find((f) => f.target === field)?.reference;
  assert.deepEqual(await reference(ids.deals, 'contact_id'), { by: 'id_map', mapping: ids.contacts });
  assert.deepEqual(await reference(ids.payments, 'deal_id'), { by: 'id_map', mapping: ids.deals });
  assert.deepEqual(await reference(ids.cases, 'contact_id'), { by: 'id_map', mapping: ids.contacts });

  const again = await seedDemoPlan(names);
  assert.equal(again.created, false);
  assert.match(again.message, /exists already/);
  assert.equal(await prisma().plan.count({ where: { name: DEMO_PLAN } }), 1);
  assert.equal(await prisma().mapping.count({ where: { name: { in: mappingNames } } }), 4);
});

test('a plan missing its mappings reuses those that exist and creates the rest', async () => {
  const before = await mappingIds();
  await prisma().plan.deleteMany({ where: { name: DEMO_PLAN } });
  await prisma().mapping.delete({ where: { id: before.cases } });
  const seeded = await seedDemoPlan(names);
  assert.equal(seeded.created, true, seeded.message);
  const afterSeed = await mappingIds();
  assert.equal(afterSeed.contacts, before.contacts, 'an existing mapping is kept, not replaced');
  assert.notEqual(afterSeed.cases, before.cases);
  assert.deepEqual((await latestSpec(afterSeed.cases)).fields.find((f) => f.target === 'contact_id')?.reference, { by: 'id_map', mapping: before.contacts });
});

test('the seeded plan runs parents before children: children hold the generated ids, orphans are error rows naming their parent', async () => {
  const ids = await mappingIds();
  worker = spawnWorker();
  const plan = await prisma().plan.findUniqueOrThrow({ where: { name: DEMO_PLAN }, select: { id: true } });
  const run = await startPlanRun(actor, plan.id, { options: { chunkRows: 200, batchRows: 50 } });
  assert.equal(await waitForPlanRun(run.id), 'completed_with_errors', 'the legacy data fails some rows of every table');

  const jobs = await planRunJobs(run.id);
  const step = async (mappingId: string) => {
    const job = jobs.find((j) => j.mappingId === mappingId) ?? assert.fail(`no job for ${mappingId}`);
    return { ...(await jobTotals(job.id)), ...(await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { id: true, createdAt: true, finishedAt: true } })) };
  };
  const [contacts, deals, payments, cases] = await Promise.all([step(ids.contacts), step(ids.deals), step(ids.payments), step(ids.cases)]);
  for (const [parent, child] of [[contacts, deals], [deals, payments], [contacts, cases]]) {
    assert.ok(parent.finishedAt! <= child.createdAt, 'a child starts once its parent is done');
  }
  assert.deepEqual([contacts.read, deals.read, cases.read], [300, 900, 300]);
  const generated = (await target.query('SELECT count(*) FILTER (WHERE id >= 500000)::int AS n FROM contacts')).rows[0].n;
  assert.equal(generated, contacts.written, 'every contact has an id of the new CRM');

  const remap = await checkPlanRemap(target, { ...MARIADB, database: LEGACY });
  assert.deepEqual(remap.checked, { deals: deals.written, payments: payments.written, cases: cases.written });
  assert.equal(remap.total, 0, `references pointing at the wrong parent: ${JSON.stringify(remap.mismatches)}`);

  const orphans = await prisma().errorRow.findMany({ where: { jobId: deals.id, code: 'parent_not_migrated' }, select: { sourceRow: true, message: true } });
  assert.ok(orphans.length > 0, 'orders of customers that never existed or failed are orphans');
  const migrated = new Set((await target.query<{ legacy_id: string }>('SELECT legacy_id FROM contacts')).rows.map((r) => Number(r.legacy_id)));
  for (const orphan of orphans) {
    const customer = Number((orphan.sourceRow as { cust_id: number }).cust_id);
    assert.ok(!migrated.has(customer), `an orphan's customer ${customer} was not migrated`);
    assert.match(orphan.message, new RegExp(`parent ${DEMO_PLAN_MAPPINGS.contacts} ${customer} not migrated`));
  }
  const [tickets] = await legacy.query<mysql.RowDataPacket[]>(`SELECT ticket_id FROM tickets WHERE TRIM(COALESCE(subject, '')) = ''`);
  const subjects = (await target.query<{ subject: string }>('SELECT subject FROM cases WHERE id = ANY($1::bigint[])', [tickets.map((t) => t.ticket_id)])).rows;
  for (const { subject } of subjects) assert.equal(subject, '(no subject)', 'a ticket without a subject gets the default');
});
