import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { findInIdMap } from '@/lib/engine/id-map-store';
import { startMigration } from '@/lib/jobs/start-migration';
import { startReplay } from '@/lib/jobs/start-replay';
import { replayWaitingChildren } from '@/lib/plans/replay-waiting-children';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { previewSavedVersion } from '@/lib/saved-mappings/preview-mapping';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_ref_src';
const TARGET_DB = 'ferry_it_ref_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

const customersSpec = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: 'contacts', key: ['legacy_id'] },
  fields: [
    { target: 'legacy_id', sources: ['cust_id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
  ],
};

const ordersSpec = (customersMappingId: string) => ({
  source: { table: 'orders', key: ['order_no'] },
  target: { table: 'deals', key: ['legacy_id'] },
  fields: [
    { target: 'legacy_id', sources: ['order_no'] },
    { target: 'contact_id', sources: ['cust_id'], reference: { by: 'id_map', mapping: customersMappingId } },
    { target: 'amount', sources: ['total'] },
  ],
});

/** (order_no, cust_id) as the source has it, against (deals.legacy_id, contacts.legacy_id) through the new ids. */
async function remapMismatches(): Promise<number> {
  const expected = (await source.query<{ order_no: string; cust_id: number }>('SELECT order_no, cust_id FROM orders')).rows;
  const actual = new Map(
    (await target.query<{ legacy_id: string; cust: string }>('SELECT d.legacy_id, c.legacy_id::text AS cust FROM deals d JOIN contacts c ON c.id = d.contact_id')).rows.map((r) => [r.legacy_id, r.cust]),
  );
  let mismatches = 0;
  for (const row of expected) {
    const landed = actual.get(row.order_no);
    if (landed !== undefined && landed !== String(row.cust_id)) mismatches += 1;
  }
  return mismatches;
}

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE customers (cust_id int PRIMARY KEY, email text)`);
  // 300 customers; 7 has an email the mapping refuses, so its orders are orphans linked to its error row.
  await source.query(`INSERT INTO customers SELECT g, CASE WHEN g = 7 THEN 'not-an-email' ELSE 'c' || g || '@example.com' END FROM generate_series(1, 300) g`);
  await source.query(`CREATE TABLE orders (order_no text PRIMARY KEY, cust_id int, total numeric(12,2))`);
  // Three orders per customer, plus orders of customer 999 (who never existed) and one without a customer.
  await source.query(`INSERT INTO orders SELECT 'ORD-' || lpad(g::text, 5, '0'), (g - 1) / 3 + 1, g * 1.5 FROM generate_series(1, 900) g`);
  await source.query(`INSERT INTO orders VALUES ('ORD-X1', 999, 1), ('ORD-X2', 999, 2), ('ORD-NULL', NULL, 3)`);
  target = await freshPgDatabase(TARGET_DB);
  // The target generates its own ids (descending from 10,000 so they never equal the legacy ones) and keeps the legacy id.
  await target.query(`CREATE SEQUENCE contact_ids START 10000 INCREMENT -1 MINVALUE 1 MAXVALUE 10000`);
  await target.query(`CREATE TABLE contacts (id bigint PRIMARY KEY DEFAULT nextval('contact_ids'), legacy_id bigint UNIQUE, email text NOT NULL)`);
  await target.query(`CREATE TABLE deals (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), legacy_id text UNIQUE NOT NULL, contact_id bigint REFERENCES contacts (id), amount numeric(12,2) NOT NULL)`);
  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await source?.end();
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('reference fields', () => {
  test('children point at the ids the target generated for their parents; orphans are linked error rows; replaying the parent frees its children', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const customers = await testMapping(actor, 'it ref customers → contacts', src.id, tgt.id, customersSpec);
    const orders = await testMapping(actor, 'it ref orders → deals', src.id, tgt.id, ordersSpec(customers.id));

    const parentJob = await startMigration(actor, { mappingId: customers.id, options: { chunkRows: 100, batchRows: 40 } });
    assert.equal(await waitForJob(parentJob.id), 'completed_with_errors');
    const { idMapNo } = await prisma().mapping.findUniqueOrThrow({ where: { id: customers.id }, select: { idMapNo: true } });
    const mapped = await prisma().idMapInt.count({ where: { mapNo: idMapNo } });
    assert.equal(mapped, 299, 'every landed customer is in the id map (integer keys as bigints), the failed one is not');
    assert.equal(await prisma().idMapText.count({ where: { mapNo: idMapNo } }), 0);
    const sample = await findInIdMap(customers.id, ['5', '05', 'x']);
    const contact5 = (await target.query<{ id: string }>('SELECT id::text FROM contacts WHERE legacy_id = 5')).rows[0];
    assert.deepEqual([...sample], [['5', contact5.id]], 'key 5 is found; "05" and "x" are other keys');
    assert.notEqual(contact5.id, '5');

    // The preview resolves the reference as the run will.
    const preview = await previewSavedVersion({ mappingId: orders.id, version: 1, keys: [['ORD-00013'], ['ORD-X1']], limit: 10 });
    const resolved = preview.rows.find((r) => r.sourceKey[0] === 'ORD-00013');
    assert.equal(String(resolved?.target?.contact_id), contact5.id);
    const orphanPreview = preview.rows.find((r) => r.sourceKey[0] === 'ORD-X1');
    assert.equal(orphanPreview?.errors[0]?.code, 'parent_not_migrated');

    const childJob = await startMigration(actor, { mappingId: orders.id, options: { chunkRows: 200, batchRows: 50 } });
    assert.equal(await waitForJob(childJob.id), 'completed_with_errors');
    assert.equal(await remapMismatches(), 0);
    assert.equal(Number((await target.query('SELECT count(*) FROM deals')).rows[0].count), 900 - 3 + 1, "all but customer 7's three orders and the two of 999; the order without a customer lands with no contact");
    assert.equal((await target.query(`SELECT contact_id FROM deals WHERE legacy_id = 'ORD-NULL'`)).rows[0].contact_id, null);

    const orphans = await prisma().errorRow.findMany({ where: { jobId: childJob.id }, orderBy: { sourceKeyText: 'asc' } });
    assert.deepEqual(orphans.map((o) => [o.sourceKeyText, o.code]), [
      ['["ORD-00019"]', 'parent_not_migrated'],
      ['["ORD-00020"]', 'parent_not_migrated'],
      ['["ORD-00021"]', 'parent_not_migrated'],
      ['["ORD-X1"]', 'parent_not_migrated'],
      ['["ORD-X2"]', 'parent_not_migrated'],
    ]);
    const parentError = await prisma().errorRow.findFirstOrThrow({ where: { jobId: parentJob.id, sourceKeyText: '[7]' } });
    assert.deepEqual(orphans.filter((o) => o.parentErrorRowId === parentError.id).map((o) => o.sourceKeyText), ['["ORD-00019"]', '["ORD-00020"]', '["ORD-00021"]']);
    assert.ok(orphans.find((o) => o.sourceKeyText === '["ORD-X1"]')?.message.includes('999'));

    // Verification resolves references too: everything that landed matches.
    const verify = await expectEventually(() => prisma().job.findFirst({ where: { parentJobId: childJob.id, kind: 'verify' } }));
    await waitForJob(verify!.id);
    const report = await prisma().consistencyReport.findFirstOrThrow({ where: { jobId: verify!.id } });
    assert.equal(report.different, 0);
    assert.equal(report.extra, 0);
    assert.equal(report.missing, 5);

    // Children cannot be replayed ahead of their parent; once the parent lands, they can, in one action.
    await assert.rejects(replayWaitingChildren(actor, parentError.id), /Replay this row first/);
    await source.query(`UPDATE customers SET email = 'c7@example.com' WHERE cust_id = 7`);
    const parentReplay = await startReplay(actor, parentJob.id, { errorRowIds: [parentError.id] });
    await waitForJob(parentReplay.id);
    assert.ok((await prisma().errorRow.findUniqueOrThrow({ where: { id: parentError.id } })).resolvedAt);
    const { replays } = await replayWaitingChildren(actor, parentError.id);
    assert.deepEqual(replays.map((r) => r.rows), [3]);
    await waitForJob(replays[0].replayJobId);
    assert.equal(await remapMismatches(), 0);
    assert.equal(Number((await target.query(`SELECT count(*) FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE c.legacy_id = 7`)).rows[0].count), 3);

    // Running the child again changes nothing.
    const before = (await target.query(`SELECT md5(string_agg(id::text || legacy_id || coalesce(contact_id::text, '') || amount, ',' ORDER BY legacy_id)) AS h FROM deals`)).rows[0].h;
    const again = await startMigration(actor, { mappingId: orders.id, options: { chunkRows: 200, batchRows: 50 } });
    await waitForJob(again.id);
    const afterHash = (await target.query(`SELECT md5(string_agg(id::text || legacy_id || coalesce(contact_id::text, '') || amount, ',' ORDER BY legacy_id)) AS h FROM deals`)).rows[0].h;
    assert.equal(afterHash, before);
  });

  test('a reference to a mapping that does not exist, or with the wrong key shape, is refused at save with the field path', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const customers = await prisma().mapping.findUniqueOrThrow({ where: { name: 'it ref customers → contacts' } });
    const orders = await prisma().mapping.findUniqueOrThrow({ where: { name: 'it ref orders → deals' } });
    const bad = ordersSpec('00000000-0000-4000-8000-000000000000');
    await assert.rejects(saveMappingVersion(actor, orders.id, { spec: mappingSpecSchema.parse(bad) }), (error: { issues?: { path: string }[] }) => {
      assert.deepEqual(error.issues?.map((i) => i.path), ['body.spec.fields.1.reference.mapping']);
      return true;
    });
    const twoColumns = ordersSpec(customers.id);
    twoColumns.fields[1].sources = ['cust_id', 'total'];
    await assert.rejects(saveMappingVersion(actor, orders.id, { spec: mappingSpecSchema.parse(twoColumns) }), /keyed by cust_id/);
    assert.ok(src && tgt);
  });
});
