import type { CursorKind, Row } from '../connectors/connector';
import { prisma } from '../db/client';
import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { recordEvent } from '../jobs/record-event';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import type { CursorPosition } from '../connectors/connector';
import { changeReadColumns, type AppliedChanges, type SourceChange } from './apply-changes';
import { cursorInstant } from './cursor/cursor-value';
import { describeCursorFinding } from './cursor/plan-cursor-run';
import { readCursorChanges } from './cursor/read-cursor-changes';
import { reconcileDeletedKeys } from './reconcile-keys';
import { retryFailedKeys } from './retry-failed-keys';
import { saveSyncBatch } from './save-sync-batch';
import type { SyncContext } from './sync-context';
import { verifySyncWhenDue } from './verify-sync';

type Streaming = Extract<SyncCheckpoint, { phase: 'streaming' }>;

/** The same finding is reported again after this long, not on every run of a sync that runs every second. */
const FINDING_REPEAT_MS = 10 * 60_000;
const reported = new Map<string, number>();

/**
 * One run of a cursor sync: failed keys first, then the rows past the checkpoint up to the
 * source clock minus the lag, batch by batch (each applied, then stored with its checkpoint,
 * then the stop check), then — when it is due — the key reconciliation that finds rows
 * deleted in the source. Findings (a cursor moving back, future stamps, NULL cursors) go
 * to the job's log. The unit then waits for the scheduler's next delivery.
 */
export async function runCursorSync(run: UnitRun<SyncCheckpoint>, ctx: SyncContext, start: Streaming): Promise<UnitOutcome> {
  if (start.from.kind !== 'cursor') throw new Error('A cursor sync was stored with a log position');
  const ids = { syncId: ctx.sync.id, jobId: ctx.jobId, chunkId: run.unitId, leaseId: run.lease.leaseId, mappingVersionId: ctx.mappingVersionId };
  const { spec, sync } = ctx;
  let at: CursorPosition | null = start.from.at;
  const checkpoint = (): SyncCheckpoint => ({ phase: 'streaming', from: { kind: 'cursor', at } });
  const save = (applied: AppliedChanges, commitTimes: number[], applyMs: number, pendingSince: number | null) =>
    saveSyncBatch(ids, { checkpoint: checkpoint(), read: applied.read, upserts: applied.upserts, deletes: applied.deletes, errors: applied.errors, landed: applied.landed, retry: applied.retry, commitTimes, applyMs, pendingSince });

  await prisma().sync.update({ where: { id: sync.id }, data: { lastRunAt: new Date() } });
  let started = performance.now();
  const retried = await retryFailedKeys(ctx);
  if (retried) {
    const stop = run.stopFor(await save(retried, [], performance.now() - started, null));
    if (stop) return { stopped: stop };
  }

  // The reader returns rows in withKeyColumns order, which this list already is (keys first).
  const readColumns = changeReadColumns(spec, sync);
  const spec_ = { table: spec.source.table, cursorColumn: sync.cursorColumn!, keyColumns: spec.source.key, columns: readColumns };
  let kind: CursorKind = 'instant';
  let zone = 'UTC';
  let upTo: string | null = null;
  let changes = 0;
  for await (const event of readCursorChanges(ctx.source, spec_, at, { batchSize: ctx.options.batchRows, lagMs: sync.lagMs })) {
    if (event.type === 'planned') {
      ({ kind, zone } = event.probe);
      upTo = event.plan.upTo;
      for (const finding of event.findings) await reportFinding(ctx.jobId, finding.code, describeCursorFinding(finding));
      continue;
    }
    started = performance.now();
    const readAt = Date.now();
    const commitTimes = event.cursors.map((c) => cursorInstant(c, kind, zone) ?? readAt);
    const batch: SourceChange[] = event.rows.map((values, i) => ({ op: 'upsert', row: rowOf(readColumns, values), commitTime: commitTimes[i] }));
    const applied = await ctx.apply(batch);
    at = event.checkpoint;
    changes += batch.length;
    const full = event.rows.length >= ctx.options.batchRows;
    const stop = run.stopFor(await save(applied, commitTimes, performance.now() - started, full ? commitTimes[commitTimes.length - 1] : null));
    if (stop) return { stopped: stop };
  }

  // Rows changed after this run's bound wait for the next run: the oldest of them is the age D shows meanwhile.
  if (upTo !== null && ctx.source.cursorReader) {
    const waiting = await ctx.source.cursorReader(spec_).countAbove(upTo);
    const since = waiting > 0 ? cursorInstant(upTo, kind, zone) : null;
    await prisma().sync.update({ where: { id: sync.id }, data: { pendingSince: since === null ? null : new Date(since) } });
  }

  const reconciled = await reconcileDeletedKeys(run, ctx, checkpoint);
  if (reconciled && 'stopped' in reconciled) return reconciled;
  await verifySyncWhenDue(ctx);
  return { idle: `Cursor run applied ${changes} change(s)${reconciled ? `; key reconciliation found ${reconciled.deleted} deleted row(s)` : ''}` };
}

function rowOf(columns: string[], values: unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
  return row;
}

async function reportFinding(jobId: string, code: string, message: string): Promise<void> {
  const key = `${jobId}:${code}`;
  const last = reported.get(key) ?? 0;
  if (Date.now() - last < FINDING_REPEAT_MS) return;
  reported.set(key, Date.now());
  await recordEvent(jobId, `cursor_${code}`, message, undefined, 'warn');
}
