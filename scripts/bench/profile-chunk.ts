import pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '@/lib/auth/roles';
import { resolveConnection } from '@/lib/connections/resolve-connection';
import type { Connector, KeyTuple, Row } from '@/lib/connectors/connector';
import { openConnector } from '@/lib/connectors/open-connector';
import { describePgTable } from '@/lib/connectors/postgres-catalog';
import { csvField } from '@/lib/connectors/postgres-copy';
import { normalizePgValue } from '@/lib/connectors/postgres-write';
import { prisma } from '@/lib/db/client';
import { claimChunk } from '@/lib/engine/chunk-lease';
import { duplicatesPossible } from '@/lib/engine/claim-target-keys';
import type { ErrorRowDraft } from '@/lib/engine/error-row-draft';
import { keyOf, keyText } from '@/lib/engine/key-text';
import { saveCheckpoint } from '@/lib/engine/save-checkpoint';
import { makeBatchTransformer, type TransformedRow } from '@/lib/engine/transform-rows';
import { writeWithBisection } from '@/lib/engine/write-with-bisection';
import { sourceColumnsOf, targetColumnsOf } from '@/lib/mapping/apply-mapping';
import { mappingSpecSchema, type MappingSpec } from '@/lib/schemas/mapping-spec';
import { BENCH, PG_URL, log } from './bench-env';
import { resetTarget } from './run-migration';
import { fixedCastType, rawCheckpoint, whatIfWriter } from './what-if';

/**
 * Runs the steps of one copy-chunk in this process on one key range, timing each step
 * (read / transform / claim / write / checkpoint / stop check) exactly as
 * workers/processors/copy-chunk.ts calls them, then again with the write-refused rows
 * left out (the write cost without bisection), then the write split into its SQL steps.
 */

interface StepTimes {
  batches: number;
  rows: number;
  read: number;
  transform: number;
  claim: number;
  write: number;
  checkpoint: number;
  stopCheck: number;
  transformErrors: number;
  writeFailures: number;
  writeStatements: number;
}

const emptyTimes = (): StepTimes => ({
  batches: 0, rows: 0, read: 0, transform: 0, claim: 0, write: 0, checkpoint: 0, stopCheck: 0, transformErrors: 0, writeFailures: 0, writeStatements: 0,
});

const now = () => performance.now();

interface ChunkContext {
  spec: MappingSpec;
  source: Connector;
  target: Connector;
  transform: ReturnType<typeof makeBatchTransformer>;
  columns: string[];
  jobId: string;
  chunkId: string;
  leaseId: string;
  mappingVersionId: string;
}

interface PassOptions {
  /** Source keys left out before the write (rows the database refused in an earlier pass). */
  skip?: Set<string>;
  /** Collects the keys of rows refused at write. */
  failedKeys?: Set<string>;
  /** The target connector to write with (default: the engine's). */
  writer?: Connector;
  /** How to checkpoint: the engine's saveCheckpoint (Prisma), the raw-SQL prototype, or not at all. */
  checkpoint: 'prisma' | 'raw' | 'none';
  raw?: pg.Client;
}

async function runPass(ctx: ChunkContext, lower: KeyTuple, upper: KeyTuple, batchRows: number, pass: PassOptions): Promise<StepTimes> {
  const t = emptyTimes();
  const { spec } = ctx;
  const iterator = ctx.source
    .readRange({ table: spec.source.table, keyColumns: spec.source.key, columns: sourceColumnsOf(spec), range: { lower, upper }, after: null, batchSize: batchRows })
    [Symbol.asyncIterator]();
  for (;;) {
    let mark = now();
    const next = await iterator.next();
    t.read += now() - mark;
    if (next.done) break;
    const sourceRows: Row[] = next.value;
    if (sourceRows.length === 0) continue;
    t.batches += 1;
    t.rows += sourceRows.length;

    mark = now();
    const { rows, errors, inScope } = ctx.transform(sourceRows);
    t.transform += now() - mark;
    t.transformErrors += errors.length;
    const allErrors: ErrorRowDraft[] = [...errors];

    mark = now();
    if (duplicatesPossible(spec)) throw new Error('this profile assumes no duplicate claims (target key = source key)');
    t.claim += now() - mark;

    const skip = pass.skip;
    const writable: TransformedRow[] = skip ? rows.filter((r) => !skip.has(keyText(r.sourceKey))) : rows;
    mark = now();
    const written = await writeWithBisection(
      pass.writer ?? ctx.target,
      { table: spec.target.table, keyColumns: spec.target.key, columns: ctx.columns, mode: spec.writeMode },
      writable.map((row) => ({ values: ctx.columns.map((c) => row.values[c] ?? null), origin: row })),
    );
    t.write += now() - mark;
    t.writeStatements += written.statements;
    t.writeFailures += written.failed.length;
    for (const { origin, failure } of written.failed) {
      pass.failedKeys?.add(keyText(origin.sourceKey));
      allErrors.push({ sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure });
    }

    if (pass.checkpoint !== 'none') {
      mark = now();
      const outcome = { cursor: keyOf(sourceRows[sourceRows.length - 1], spec.source.key), read: inScope, written: written.written, duplicates: 0, errors: allErrors };
      if (pass.checkpoint === 'raw' && pass.raw) await rawCheckpoint(pass.raw, ctx.jobId, ctx.chunkId, ctx.leaseId, ctx.mappingVersionId, outcome);
      else await saveCheckpoint(ctx.jobId, ctx.chunkId, ctx.leaseId, ctx.mappingVersionId, outcome);
      t.checkpoint += now() - mark;
      mark = now();
      await prisma().job.findUnique({ where: { id: ctx.jobId }, select: { status: true } });
      t.stopCheck += now() - mark;
    }
  }
  return t;
}

/** The copyUpsert path of lib/connectors/postgres-copy.ts, replayed step by step with timings. */
async function writeStepsReplay(ctx: ChunkContext, lower: KeyTuple, upper: KeyTuple, batchRows: number, skip: Set<string>) {
  const client = new pg.Client({ connectionString: PG_URL(BENCH.target) });
  await client.connect();
  const steps = { csv: 0, begin: 0, createTemp: 0, copyStage: 0, insertSelect: 0, commit: 0, directCopy: 0, rows: 0 };
  try {
    await client.query("SET TimeZone = 'UTC'");
    const shape = await describePgTable(async (text, values) => (await client.query(text, values)).rows, 'public', 'contacts');
    const families = ctx.columns.map((c) => shape.detail.columns.find((col) => col.name === c)?.family ?? 'other');
    // With the staging-type fix (see what-if.ts): the engine's "character" is char(1).
    const casts = ctx.columns.map((c) => fixedCastType(shape.castTypes.get(c) ?? 'text'));
    const cols = ctx.columns.map((c) => `"${c}"`).join(', ');
    const updates = ctx.columns.filter((c) => c !== 'id').map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ');
    const batches: string[][] = [];
    const { spec } = ctx;
    for await (const sourceRows of ctx.source.readRange({ table: spec.source.table, keyColumns: spec.source.key, columns: sourceColumnsOf(spec), range: { lower, upper }, after: null, batchSize: batchRows })) {
      const { rows } = ctx.transform(sourceRows);
      const good = rows.filter((r) => !skip.has(keyText(r.sourceKey)));
      steps.rows += good.length;
      let mark = now();
      const pieces: string[] = [];
      let piece = '';
      for (const row of good) {
        piece += ctx.columns.map((c, i) => csvField(normalizePgValue(row.values[c] ?? null, families[i]))).join(',') + '\n';
        if (piece.length >= 256 * 1024) { pieces.push(piece); piece = ''; }
      }
      if (piece) pieces.push(piece);
      steps.csv += now() - mark;
      batches.push(pieces);

      mark = now(); await client.query('BEGIN'); steps.begin += now() - mark;
      mark = now();
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS bench_stage (${ctx.columns.map((c, i) => `"${c}" ${casts[i]}`).join(', ')}) ON COMMIT DELETE ROWS`);
      steps.createTemp += now() - mark;
      mark = now();
      await pipeline(Readable.from(pieces), client.query(copyFrom(`COPY bench_stage (${cols}) FROM STDIN WITH (FORMAT csv)`)));
      steps.copyStage += now() - mark;
      mark = now();
      await client.query(`INSERT INTO contacts (${cols}) SELECT ${cols} FROM bench_stage ON CONFLICT ("id") DO UPDATE SET ${updates}`);
      steps.insertSelect += now() - mark;
      mark = now(); await client.query('COMMIT'); steps.commit += now() - mark;
    }
    // The same CSV straight into contacts (plain COPY, no staging, no upsert): the floor.
    await client.query('TRUNCATE contacts CASCADE');
    for (const pieces of batches) {
      const mark = now();
      await pipeline(Readable.from(pieces), client.query(copyFrom(`COPY contacts (${cols}) FROM STDIN WITH (FORMAT csv)`)));
      steps.directCopy += now() - mark;
    }
  } finally {
    await client.end();
  }
  return steps;
}

const ms = (v: number) => `${v.toFixed(0).padStart(7)} ms`;
const perBatch = (v: number, t: StepTimes) => `${(v / Math.max(1, t.batches)).toFixed(1).padStart(7)} ms/batch`;

function report(label: string, t: StepTimes): void {
  const total = t.read + t.transform + t.claim + t.write + t.checkpoint + t.stopCheck;
  log(`profile ${label}: ${t.rows} rows in ${t.batches} batches, ${(total / 1000).toFixed(2)} s → ${Math.round(t.rows / (total / 1000))} rows/s (one chunk, one process)`);
  for (const [name, v] of [['read', t.read], ['transform', t.transform], ['claim', t.claim], ['write', t.write], ['checkpoint', t.checkpoint], ['stop check', t.stopCheck]] as const) {
    log(`    ${name.padEnd(11)} ${ms(v)}  ${perBatch(v, t)}  ${((100 * v) / total).toFixed(1).padStart(5)} %`);
  }
  log(`    transform errors ${t.transformErrors}, write failures ${t.writeFailures}, write statements ${t.writeStatements} (${(t.writeStatements / Math.max(1, t.batches)).toFixed(0)}/batch)`);
}

export async function profileChunk(actor: Actor, mappingId: string, label: string, range: { lower: number; upper: number }, batchRows: number): Promise<void> {
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { id: mappingId }, select: { sourceConnectionId: true, targetConnectionId: true, latestVersion: true } });
  const version = await prisma().mappingVersion.findUniqueOrThrow({ where: { mappingId_version: { mappingId, version: mapping.latestVersion } }, select: { id: true, spec: true } });
  const spec = mappingSpecSchema.parse(version.spec);
  const source = openConnector(await resolveConnection(mapping.sourceConnectionId));
  const target = openConnector(await resolveConnection(mapping.targetConnectionId));
  // A job and chunk rows of their own (never enqueued), so checkpoints write real rows.
  const job = await prisma().job.create({
    data: { kind: 'migration', status: 'running', mappingId, mappingVersionId: version.id, options: {}, createdById: actor.id },
    select: { id: true },
  });
  try {
    const targetTable = await target.describeTable(spec.target.table);
    const chunk = await prisma().chunk.create({ data: { jobId: job.id, seq: 0 }, select: { id: true } });
    const lease = await claimChunk(chunk.id, 'bench-profile', 30_000);
    if (!lease) throw new Error('could not lease the profile chunk');
    const ctx: ChunkContext = {
      spec, source, target, transform: makeBatchTransformer(spec, targetTable.columns), columns: targetColumnsOf(spec),
      jobId: job.id, chunkId: chunk.id, leaseId: lease.leaseId, mappingVersionId: version.id,
    };
    const lower = [range.lower], upper = [range.upper];
    log(`profile ${label}: cust_id in [${range.lower}, ${range.upper}), batches of ${batchRows}`);

    // Warm-up (caches, JIT, connections), not reported.
    await resetTarget();
    await runPass(ctx, lower, upper, batchRows, { checkpoint: 'none' });

    await resetTarget();
    const failedKeys = new Set<string>();
    report(`${label} A: as the worker runs it`, await runPass(ctx, lower, upper, batchRows, { checkpoint: 'prisma', failedKeys }));
    await prisma().errorRow.deleteMany({ where: { jobId: job.id } });

    await resetTarget();
    report(`${label} B: engine write without the ${failedKeys.size} write-refused rows`, await runPass(ctx, lower, upper, batchRows, { checkpoint: 'none', skip: failedKeys }));

    const raw = new pg.Client({ connectionString: BENCH.metadataUrl });
    await raw.connect();
    const fixed = await whatIfWriter(target, PG_URL(BENCH.target), { uniquePrecheck: false });
    const prechecked = await whatIfWriter(target, PG_URL(BENCH.target), { uniquePrecheck: true });
    try {
      await resetTarget();
      report(`${label} C: what-if staging types fixed (bisection on unique violations stays)`, await runPass(ctx, lower, upper, batchRows, { checkpoint: 'prisma', writer: fixed.connector }));
      await prisma().errorRow.deleteMany({ where: { jobId: job.id } });

      await resetTarget();
      const d = await runPass(ctx, lower, upper, batchRows, { checkpoint: 'prisma', writer: prechecked.connector });
      report(`${label} D: what-if C + unique pre-check in the staging table (${prechecked.refused} rows kept out, no bisection)`, d);
      await prisma().errorRow.deleteMany({ where: { jobId: job.id } });

      await resetTarget();
      const e = await runPass(ctx, lower, upper, batchRows, { checkpoint: 'raw', raw, writer: prechecked.connector });
      report(`${label} E: what-if D + raw-SQL checkpoint (unnest insert)`, e);
    } finally {
      await Promise.allSettled([raw.end(), fixed.close(), prechecked.close()]);
    }

    await resetTarget();
    const w = await writeStepsReplay(ctx, lower, upper, batchRows, failedKeys);
    log(`profile ${label}: the upsert write of ${w.rows} clean rows (staging types fixed) split into its steps:`);
    for (const [name, v] of Object.entries(w)) if (name !== 'rows') log(`    ${name.padEnd(13)} ${ms(v)}`);
  } finally {
    await prisma().job.delete({ where: { id: job.id } }).catch(() => undefined);
    await Promise.allSettled([source.close(), target.close()]);
  }
}
