import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { DEMO_CSV_MAPPING, DEMO_FILE_SOURCE, seedDemoCsv } from '../../scripts/demo-data/demo-csv';
import { loadDemoData } from '../../scripts/demo-data/load-demo-data';
import { demoConnections, seedDemo } from '../../scripts/seed-demo';
import { testAdmin } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { PG_URL } from './support/test-env';
import { waitForJob } from './support/wait';

// The demo seeds a CSV export as a confirmed file of a file source, with a mapping onto contacts.
const LEGACY = 'legacy_crm_demo_csv_it';
const TARGET = 'new_crm_demo_csv_it';
const [legacyConnection, targetConnection] = demoConnections(LEGACY, TARGET);

let actor: Actor;
let target: pg.Client;
let worker: SpawnedWorker | undefined;

before(async () => {
  await loadDemoData({ customers: 50, legacyDatabase: LEGACY, targetDatabase: TARGET, reset: true });
  actor = await testAdmin();
  await prisma().mapping.deleteMany({ where: { name: DEMO_CSV_MAPPING } });
  await prisma().connection.deleteMany({ where: { name: { in: [legacyConnection.name, targetConnection.name, DEMO_FILE_SOURCE] } } });
  await seedDemo(LEGACY, TARGET, { demo: true });
  target = new pg.Client({ connectionString: PG_URL(TARGET) });
  await target.connect();
});

after(async () => {
  await worker?.stop();
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

test('the demo trade-show export runs as seeded: 4,997 leads land, its three broken lines are error rows with their line numbers; seeding again changes nothing', async () => {
  const first = await seedDemoCsv({ target: targetConnection.name });
  assert.equal(first.created, true, first.message);
  const again = await seedDemoCsv({ target: targetConnection.name });
  assert.equal(again.created, false, again.message);
  assert.equal(await prisma().sourceFile.count({ where: { connection: { name: DEMO_FILE_SOURCE } } }), 1);

  worker = spawnWorker();
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { name: DEMO_CSV_MAPPING } });
  const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 2_000 } });
  assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed_with_errors');
  const errors = await prisma().errorRow.findMany({ where: { jobId: job.id }, select: { sourceKeyText: true, code: true } });
  // Title on line 1, header on line 2: lead i is on line i + 3.
  assert.deepEqual(errors.map((e) => [e.sourceKeyText, e.code]).sort(), [['[1237]', 'too_few_fields'], ['[2721]', 'invalid_email'], ['[44]', 'too_many_fields']]);
  const { rows } = await target.query(`SELECT count(*)::int AS n, min(created_at) AS first FROM contacts WHERE legacy_id >= 9000001`);
  assert.equal(rows[0].n, 4_997);
  const lead = (await target.query(`SELECT full_name, status, company, country FROM contacts WHERE legacy_id = 9000003`)).rows[0];
  assert.deepEqual(lead, { full_name: 'Zoë Jensen', status: 'inactive', company: 'Nordic Trade ApS', country: 'PL' });
});
