import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { prisma } from '@/lib/db/client';
import { claimTargetKeys } from '@/lib/engine/claim-target-keys';
import type { TransformedRow } from '@/lib/engine/transform-rows';
import { failJob } from '@/lib/jobs/fail-job';
import type { MappingSpec } from '@/lib/schemas/mapping-spec';
import { testAdmin, testConnection } from './support/fixtures';

/**
 * Claims as batches on different workers make them, against the real metadata database:
 * the first source row to claim a target key owns it for the job, a retried batch takes its
 * own claims again, `last_wins` hands a key to the later row, and jobs never see each
 * other's claims.
 */

const row = (line: number, key: string, order?: number): TransformedRow => ({
  sourceKey: [line],
  sourceRow: { line, email: key, modified: order ?? null },
  values: { email: key },
  targetKeyText: key,
});

const keysOf = (rows: { targetKeyText: string }[]) => rows.map((r) => r.targetKeyText);

describe('claimTargetKeys', () => {
  let mappingId = '';
  let versionId = '';
  const spec = (duplicatePolicy: MappingSpec['duplicatePolicy']) =>
    ({ source: { table: 'people', key: ['line'] }, target: { table: 'contacts', key: ['email'] }, fields: [], duplicatePolicy }) as unknown as MappingSpec;

  const newJob = async () => (await prisma().job.create({ data: { kind: 'migration', status: 'running', mappingId, mappingVersionId: versionId }, select: { id: true } })).id;

  before(async () => {
    const actor = await testAdmin();
    const connection = await testConnection(actor, 'postgres', 'ferry_claims_it');
    await prisma().mapping.deleteMany({ where: { name: 'it claims' } });
    const mapping = await prisma().mapping.create({
      data: { name: 'it claims', sourceConnectionId: connection.id, sourceTable: 'people', targetConnectionId: connection.id, targetTable: 'contacts', latestVersion: 1 },
    });
    mappingId = mapping.id;
    versionId = (await prisma().mappingVersion.create({ data: { mappingId, version: 1, spec: {} } })).id;
  });

  // The jobs here are made 'running' by hand and never end: leave no running job behind for
  // the sweepers of later test files' workers.
  after(async () => {
    await prisma().$executeRaw`DELETE FROM run_keys WHERE job_no IN (SELECT job_no FROM jobs WHERE mapping_id = ${mappingId})`;
    await prisma().mapping.deleteMany({ where: { id: mappingId } });
  });

  test('the first row to claim a key keeps it across batches; a retried batch keeps its own; the loser is a duplicate error row', async () => {
    const jobId = await newJob();
    const first = await claimTargetKeys(jobId, spec({ mode: 'error' }), [row(1, 'a@x'), row(2, 'b@x'), row(3, 'c@x')]);
    assert.deepEqual(keysOf(first.winners), ['a@x', 'b@x', 'c@x']);
    assert.equal(first.duplicates, 0);

    const second = await claimTargetKeys(jobId, spec({ mode: 'error' }), [row(4, 'c@x'), row(5, 'd@x'), row(6, 'd@x')]);
    assert.deepEqual(keysOf(second.winners), ['d@x']);
    assert.equal(second.duplicates, 2);
    assert.deepEqual(
      second.losers.map((l) => [l.sourceKey[0], l.code]),
      [
        [6, 'duplicate_key'],
        [4, 'duplicate_key'],
      ],
    );

    // The first batch again, as after a crash before its checkpoint: its rows are still theirs.
    const retried = await claimTargetKeys(jobId, spec({ mode: 'error' }), [row(1, 'a@x'), row(2, 'b@x'), row(3, 'c@x')]);
    assert.deepEqual(keysOf(retried.winners), ['a@x', 'b@x', 'c@x']);

    // Another job claims afresh.
    const other = await claimTargetKeys(await newJob(), spec({ mode: 'error' }), [row(4, 'c@x')]);
    assert.deepEqual(keysOf(other.winners), ['c@x']);

    const rows = await prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM run_keys WHERE job_no = (SELECT job_no FROM jobs WHERE id = ${jobId})`;
    assert.equal(rows[0].n, 4);
    await failJob(jobId, 'test over', '');
    const left = await prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM run_keys WHERE job_no = (SELECT job_no FROM jobs WHERE id = ${jobId})`;
    assert.equal(left[0].n, 0, 'a job that ends lets go of its claims');
  });

  test('last_wins: a later row by the ordering column takes the key over, an earlier one does not; first_wins records no error rows', async () => {
    const jobId = await newJob();
    const policy = { mode: 'last_wins', orderBy: 'modified' } as const;
    const first = await claimTargetKeys(jobId, spec(policy), [row(1, 'a@x', 10), row(2, 'b@x', 10)]);
    assert.deepEqual(keysOf(first.winners), ['a@x', 'b@x']);
    const later = await claimTargetKeys(jobId, spec(policy), [row(3, 'a@x', 20), row(4, 'b@x', 5)]);
    assert.deepEqual(keysOf(later.winners), ['a@x']);
    assert.equal(later.duplicates, 1);
    assert.deepEqual(later.losers, [], 'last_wins drops the older row without an error row');

    const firstWinsJob = await newJob();
    await claimTargetKeys(firstWinsJob, spec({ mode: 'first_wins' }), [row(1, 'a@x')]);
    const skipped = await claimTargetKeys(firstWinsJob, spec({ mode: 'first_wins' }), [row(2, 'a@x')]);
    assert.deepEqual(skipped.winners, []);
    assert.equal(skipped.duplicates, 1);
    assert.deepEqual(skipped.losers, []);
  });

  test('keys that differ only in case or accents are different keys', async () => {
    const jobId = await newJob();
    const claimed = await claimTargetKeys(jobId, spec({ mode: 'error' }), [row(1, 'Zoë@x'), row(2, 'zoë@x'), row(3, 'Zoe@x')]);
    assert.deepEqual(keysOf(claimed.winners), ['Zoë@x', 'zoë@x', 'Zoe@x']);
    const again = await claimTargetKeys(jobId, spec({ mode: 'error' }), [row(4, 'zoë@x')]);
    assert.equal(again.duplicates, 1);
  });
});
