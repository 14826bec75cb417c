import { enforceErrorPolicy } from '../jobs/enforce-error-policy';
import type { JobStatus } from '../jobs/job-state';
import type { KeyTuple, ReadRangeRequest } from '../connectors/connector';
import { prisma } from '../db/client';
import { sourceColumnsOf, targetColumnsOf } from '../mapping/apply-mapping';
import type { UnitLease } from '../jobs/units/unit-lease';
import { claimTargetKeys, duplicatesPossible } from './claim-target-keys';
import { metadataPool } from './metadata-pool';
import { writeErrorDraft, type ErrorRowDraft } from './error-row-draft';
import type { JobContext } from './load-job-context';
import { rejectUniqueConflicts } from './reject-unique-conflicts';
import { saveCheckpoint } from './save-checkpoint';
import { nameUniqueHolders } from './unique-holder';
import { makeListBatchTransformer, sourceReadColumns, type ListTransformedRow } from './transform-list-rows';
import { makeCorrector } from '../corrections/apply-corrections';
import { batchTimeoutMs, withTimeout } from './with-timeout';
import { insertFirstWriter } from './insert-first';
import { toKeyValue } from './key-text';
import type { WrittenPair } from './record-ids';
import type { FieldAccess } from './resolve-references';
import { writeWithBisection, type BisectionResult } from './write-with-bisection';

/** Milliseconds spent per step, summed over batches (the benchmark's profile reads them). */
export interface BatchStepTimes {
  batches: number;
  rows: number;
  /** Filled by the caller, which drives the reads. */
  read: number;
  transform: number;
  claim: number;
  uniqueCheck: number;
  write: number;
  checkpoint: number;
  errorPolicy: number;
  writeStatements: number;
  writeFailures: number;
  /** Batches whose plain insert was refused (they were then upserted). */
  insertsRefused: number;
  /** Reading a batch again after its plain insert let go of the rows and was refused. */
  reread: number;
}

export const emptyStepTimes = (): BatchStepTimes => ({
  batches: 0, rows: 0, read: 0, transform: 0, claim: 0, uniqueCheck: 0, write: 0, checkpoint: 0, errorPolicy: 0, writeStatements: 0, writeFailures: 0, insertsRefused: 0, reread: 0,
});

/**
 * A chunk's keyset read: its key range in batches of the job's size, rows as value arrays
 * in sourceReadColumns(spec) order (what the copier maps). Callers add where to resume.
 */
export function chunkReadRequest(ctx: JobContext, lease: Pick<UnitLease, 'lowerKey' | 'upperKey'>): ReadRangeRequest {
  const { source } = ctx.spec;
  return {
    table: source.table,
    keyColumns: source.key,
    columns: sourceColumnsOf(ctx.spec),
    range: { lower: lease.lowerKey, upper: lease.upperKey },
    batchSize: ctx.options.batchRows,
  };
}

/**
 * One batch of a chunk, start to checkpoint: map and validate, claim target keys when
 * duplicates are possible, keep rows that would break another unique constraint out,
 * write (a plain insert first when that is likely to pass, see insert-first.ts; else the
 * unique check against the target and an upsert with bisection), then checkpoint (error
 * rows + cursor + counters) under the lease.
 *
 * The copier is the chunk's: it follows the chunk's cursor from batch to batch, since a
 * plain insert that lets go of a batch's rows and is then refused reads that batch's key
 * interval (after the previous batch, through this one's last key) again.
 * Rows of keys an analyst corrected are replaced by their corrections before the batch is
 * mapped (apply-corrections.ts: the chunk loads the corrected keys once).
 * Returns the job's status as read with the checkpoint, for the pause/cancel check.
 */
export function makeBatchCopier(ctx: JobContext, chunkId: string, lease: Pick<UnitLease, 'leaseId' | 'lowerKey' | 'upperKey'> & { cursor: KeyTuple | null }, times?: BatchStepTimes) {
  const { spec, options } = ctx;
  const { transform, sourceKeyOf } = makeListBatchTransformer(spec, ctx.targetTable.columns, ctx.sourceTable.columns);
  let checks: Promise<ChunkChecks> | null = null;
  const chunkChecks = () => (checks ??= decideChunkChecks(ctx));
  const columns = targetColumnsOf(spec);
  const writeRequest = { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode };
  const writeItem = (row: ListTransformedRow) => ({ values: row.list, origin: row });
  const targetKeyAt = spec.target.key.map((column) => columns.indexOf(column));
  const pairsOf = (rows: ListTransformedRow[], failed?: ReadonlySet<unknown>): WrittenPair[] =>
    rows.filter((row) => !failed?.has(row)).map((row) => ({ sourceKey: row.sourceKey, targetKey: targetKeyAt.map((i) => toKeyValue(row.list[i] ?? null)) }));
  const insertFirst = insertFirstWriter(ctx, writeRequest, spec.writeMode === 'upsert');
  const corrector = makeCorrector({ mappingVersionId: ctx.mappingVersionId }, { keyColumns: spec.source.key, arrayColumns: sourceReadColumns(spec) });
  let after = lease.cursor;
  let mark = 0;
  const lap = (step: 'transform' | 'claim' | 'uniqueCheck' | 'write' | 'checkpoint' | 'errorPolicy' | 'reread') => {
    if (!times) return;
    const now = performance.now();
    times[step] += now - mark;
    mark = now;
  };

  const readAgain = async (through: KeyTuple): Promise<unknown[][]> => {
    const rows: unknown[][] = [];
    for await (const part of ctx.source.readRangeArrays({ ...chunkReadRequest(ctx, lease), after, through })) {
      for (const row of part) rows.push(row);
    }
    if ((await chunkChecks()).corrections) await corrector.arrays(rows);
    return rows;
  };

  /** The batch to its checkpoint; REREAD when the plain insert let go of the rows and was refused. */
  const copyRows = async (sourceRows: unknown[][], through: KeyTuple, tryInsertFirst: boolean): Promise<JobStatus | null | typeof REREAD> => {
    const transformed = transform(sourceRows);
    const { errors, inScope } = transformed;
    let rows = transformed.rows;
    if (ctx.references) {
      const resolved = await ctx.references.resolve(rows, listFieldAccess);
      rows = resolved.kept;
      for (const orphan of resolved.orphans) errors.push(orphan);
    }
    lap('transform');
    const allErrors: ErrorRowDraft[] = errors;
    // The claim and unique checks return subsets of the rows they were given: still list rows.
    let writable = rows;
    let duplicates = 0;
    if ((await chunkChecks()).claims) {
      const outcome = await claimTargetKeys(ctx.jobId, spec, rows);
      writable = outcome.winners as ListTransformedRow[];
      duplicates = outcome.duplicates;
      for (const loser of outcome.losers) allErrors.push(loser);
    }
    lap('claim');
    // Rows of this batch that share another unique value: the first in source-key order keeps it.
    const inBatch = await rejectUniqueConflicts(ctx.target, ctx.targetTable, spec.target.key, writable, false);
    for (const { row, failure } of inBatch.rejected) allErrors.push(writeErrorDraft(row, failure));
    lap('uniqueCheck');
    const clean = inBatch.clean as ListTransformedRow[];
    const cleanCount = clean.length;
    let written: BisectionResult<ListTransformedRow> | null = null;
    // Every array of this batch's rows, emptied: the error rows above keep their own copies.
    const release = () => {
      for (const list of [sourceRows, rows, writable, clean] as unknown[][]) list.length = 0;
    };
    // Taken before the insert lets go of the rows: what the id map records once they landed.
    const insertedPairs = ctx.ids && tryInsertFirst ? pairsOf(clean) : null;
    const first = tryInsertFirst ? await insertFirst.attempt(clean, release) : 'skipped';
    if (first === 'reread') {
      if (times) times.insertsRefused += 1;
      return REREAD;
    }
    if (first === 'written') {
      written = { written: cleanCount, failed: [], statements: 1 };
      if (ctx.ids && insertedPairs) await ctx.ids.record(insertedPairs);
    }
    if (first === 'refused' && times) times.insertsRefused += 1;
    lap('write');
    if (!written) {
      const unique = await withTimeout(rejectUniqueConflicts(ctx.target, ctx.targetTable, spec.target.key, clean), batchTimeoutMs(), 'Checking unique values');
      for (const { row, failure } of unique.rejected) allErrors.push(writeErrorDraft(row, failure));
      lap('uniqueCheck');
      const toWrite = unique.clean as ListTransformedRow[];
      written = await withTimeout(writeWithBisection(ctx.target, writeRequest, toWrite.map(writeItem)), batchTimeoutMs(), 'Writing a batch');
      if (ctx.ids) await ctx.ids.record(pairsOf(toWrite, new Set(written.failed.map((f) => f.origin))));
    }
    for (const { origin, failure } of written.failed) {
      allErrors.push(writeErrorDraft(origin, failure));
    }
    if (times) {
      times.writeStatements += written.statements;
      times.writeFailures += written.failed.length;
    }
    lap('write');
    // After the write, so a value taken by a row of this batch or a parallel chunk is found too.
    await nameUniqueHolders(ctx.target, ctx.targetTable, spec.target.key, allErrors);
    let status = await saveCheckpoint(ctx.jobId, chunkId, lease.leaseId, ctx.mappingVersionId, {
      cursor: through,
      read: inScope,
      written: written.written,
      duplicates,
      errors: allErrors,
    });
    lap('checkpoint');
    if (allErrors.length > 0 && options.errorPolicy.action !== 'continue') {
      await enforceErrorPolicy(ctx.jobId, options.errorPolicy);
      // The policy may just have paused or stopped the job.
      status = (await prisma().job.findUnique({ where: { id: ctx.jobId }, select: { status: true } }))?.status ?? null;
      lap('errorPolicy');
    }
    return status;
  };

  /**
   * `sourceRows`: the next batch of the chunk (readRangeArrays from the lease's cursor),
   * value arrays in sourceReadColumns(spec) order, at least one. The copier takes them
   * over: the array is emptied while the batch is written.
   */
  return async (sourceRows: unknown[][]): Promise<JobStatus | null> => {
    if (times) {
      times.batches += 1;
      times.rows += sourceRows.length;
      mark = performance.now();
    }
    const through = sourceKeyOf(sourceRows[sourceRows.length - 1]);
    if ((await chunkChecks()).corrections) await corrector.arrays(sourceRows);
    let status = await copyRows(sourceRows, through, true);
    if (status === REREAD) {
      const again = await readAgain(through);
      lap('reread');
      status = (await copyRows(again, through, false)) as JobStatus | null;
    }
    after = through;
    return status;
  };
}

const REREAD = Symbol('read the batch again');

interface ChunkChecks {
  /** Claim each row's target key for the job (claim-target-keys.ts). */
  claims: boolean;
  /** Put the mapping's corrections in place of the rows they correct. */
  corrections: boolean;
}

/**
 * Whether a chunk claims target keys and applies corrections, decided before its first
 * batch. A target key copied unchanged from the source key needs no claims. One copied from
 * columns the source vouches for as distinct (Connector.distinctColumns: an export sorted
 * by its id) needs none either, unless a correction could change those values: so only
 * while the mapping has no corrections, and the job then leaves alone corrections kept
 * during it (a replay kept them, after writing them itself). The job's first chunk decides
 * and stores the decision (jobs.claims_keys): a chunk deciding otherwise could write a key
 * unclaimed that another chunk claims.
 */
async function decideChunkChecks(ctx: JobContext): Promise<ChunkChecks> {
  const { spec } = ctx;
  if (!duplicatesPossible(spec)) return { claims: false, corrections: true };
  const checks = (claims: boolean): ChunkChecks => ({ claims, corrections: claims });
  const pool = metadataPool();
  const { rows: decided } = await pool.query<{ claims_keys: boolean | null }>('SELECT claims_keys FROM jobs WHERE id = $1', [ctx.jobId]);
  if (typeof decided[0]?.claims_keys === 'boolean') return checks(decided[0].claims_keys);
  const distinct = (await ctx.source.distinctColumns?.(spec.source.table, spec.source.key)) ?? [];
  let claims = duplicatesPossible(spec, distinct);
  if (!claims) {
    const { rows } = await pool.query<{ corrected: boolean }>('SELECT EXISTS (SELECT 1 FROM row_corrections WHERE mapping_id = $1) AS corrected', [ctx.mappingId]);
    claims = rows[0].corrected;
  }
  // The first decision stored wins: chunks deciding at the same moment take the same one.
  const { rows: kept } = await pool.query<{ claims_keys: boolean | null }>(
    'UPDATE jobs SET claims_keys = COALESCE(claims_keys, $2) WHERE id = $1 RETURNING claims_keys',
    [ctx.jobId, claims],
  );
  return checks(kept[0]?.claims_keys ?? true);
}

/** Reference fields of a list row: its write array, in spec field order (the copy's and the sync's). */
export const listFieldAccess: FieldAccess<ListTransformedRow> = {
  get: (row, field) => row.list[field],
  set: (row, field, value) => {
    row.list[field] = value;
  },
};
