import type { Sync } from '../db/generated/client';
import { prisma } from '../db/client';
import { chooseVerifyMode } from '../consistency/choose-mode';
import { planHashColumns } from '../consistency/in-database-plan';
import { recordEvent } from '../jobs/record-event';
import type { Stop, UnitRun } from '../jobs/units/run-unit';
import { compileSourceFilter } from '../mapping/source-filter';
import { verifySettingsSchema } from '../schemas/consistency';
import type { MappingSpec } from '../schemas/mapping-spec';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import { keyIsCopied } from './apply-changes';
import { findGoneKeys, KeyMismatchError, type GoneKeysSearch } from './find-gone-keys';
import { saveSyncBatch } from './save-sync-batch';
import type { SyncContext } from './sync-context';

const UNAVAILABLE_EVENT = 'reconcile_unavailable';
/**
 * The descent reads a range's keys once it holds this many source rows or fewer. Measured on
 * 1M rows with 10 to 1000 scattered deletions, smaller leaves hash more ranges and larger
 * ones read more keys; around 1000 the total was lowest.
 */
const LEAF_ROWS = 1000;

/**
 * Cursor mode cannot see deletions: every `reconcileMinutes` the key sets of source and
 * target are compared (find-gone-keys.ts: key-range hashes, descending only where they
 * differ) and target rows whose source row is gone, out of the mapping's scope or
 * soft-deleted are deleted or marked through the sync's change applier, as a deletion read
 * from a log would be: same policy, same error rows. Each batch is stored with the run's
 * checkpoint unchanged and without commit times (a reconciliation has no source commit
 * time: it must not move the delay D). Returns null when no reconciliation was due or
 * none is possible.
 */
export async function reconcileDeletedKeys(
  run: UnitRun<SyncCheckpoint>,
  ctx: SyncContext,
  checkpoint: () => SyncCheckpoint,
): Promise<{ deleted: number } | { stopped: Stop } | null> {
  const { sync, spec } = ctx;
  if (!reconcileDue(sync, Date.now())) return null;
  const search = searchFor(ctx);
  if (!search) {
    await warnOnce(ctx.jobId, UNAVAILABLE_EVENT, 'Key reconciliation needs the target key to be a copy of the source key; deletions are found only by a soft-delete column');
    return null;
  }

  const ids = { syncId: sync.id, jobId: ctx.jobId, chunkId: run.unitId, leaseId: run.lease.leaseId, mappingVersionId: ctx.mappingVersionId };
  // The cursor run just stored the live gauge; each batch here writes it back unchanged.
  const gauges = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id }, select: { pendingSince: true } });
  const pendingSince = gauges.pendingSince?.getTime() ?? null;
  const scopeColumns = [...new Set(spec.source.filter.map((f) => f.column))];
  let deleted = 0;
  const stats = { rangesHashed: 0, targetKeysRead: 0 };
  try {
    const events = findGoneKeys({
      source: ctx.source,
      target: ctx.target,
      sourceTable: spec.source.table,
      targetTable: spec.target.table,
      sourceKey: spec.source.key,
      targetKey: spec.target.key,
      search,
      inScope: compileSourceFilter(spec.source.filter),
      scopeColumns,
      softDeleteColumn: sync.softDeleteColumn,
      markColumn: sync.deletePolicy === 'mark' ? sync.markColumn : null,
      batchRows: ctx.options.batchRows,
      leafRows: Math.min(LEAF_ROWS, ctx.options.batchRows),
      stats,
    });
    for await (const event of events) {
      if (event.type === 'between') {
        const stop = await run.pollStop();
        if (stop) return { stopped: stop };
        continue;
      }
      const started = performance.now();
      const now = Date.now();
      // Copied keys: the target key is the source key the applier expects.
      const applied = await ctx.apply(event.keys.map((key) => ({ op: 'delete' as const, key, before: null, commitTime: now })));
      deleted += applied.deletes;
      const status = await saveSyncBatch(ids, {
        checkpoint: checkpoint(),
        read: applied.read,
        upserts: applied.upserts,
        deletes: applied.deletes,
        errors: applied.errors,
        landed: applied.landed,
        commitTimes: [],
        applyMs: performance.now() - started,
        pendingSince,
      });
      const stop = run.stopFor(status);
      if (stop) return { stopped: stop };
    }
  } catch (error) {
    if (!(error instanceof KeyMismatchError)) throw error;
    await recordEvent(ctx.jobId, 'reconcile_key_mismatch', `Key reconciliation stopped, nothing more was deleted: ${error.message}. The two databases return this key in different forms.`, undefined, 'warn');
  }
  await prisma().sync.update({ where: { id: sync.id }, data: { lastReconcileAt: new Date() } });
  if (deleted > 0) {
    const how = search.kind === 'descend' ? `${stats.rangesHashed} key range(s) hashed, ${stats.targetKeysRead} target key(s) read` : `all ${stats.targetKeysRead} target key(s) read`;
    await recordEvent(ctx.jobId, 'reconciled', `Key reconciliation ${sync.deletePolicy === 'mark' ? 'marked' : 'deleted'} ${deleted} target row(s) whose source row is gone (${how})`, { search: search.kind, ...stats });
  }
  return { deleted };
}

/** Due when deletions are acted on, reconciliation is on, and the last one is older than its interval. */
export function reconcileDue(sync: Pick<Sync, 'deletePolicy' | 'reconcileMinutes' | 'lastReconcileAt'>, now: number): boolean {
  if (sync.deletePolicy === 'ignore' || sync.reconcileMinutes <= 0) return false;
  return !sync.lastReconcileAt || now - sync.lastReconcileAt.getTime() >= sync.reconcileMinutes * 60_000;
}

/**
 * How gone keys can be found: by descent when one key range selects the same keys on both
 * sides and both can hash the key alike, with no source filter (the hash cannot leave out
 * rows out of scope); by a scan of the target's keys when the key is copied but ordered
 * differently or filtered, and once after each start of a sync with a soft-delete column;
 * not at all when the target key is derived.
 */
function searchFor(ctx: SyncContext): GoneKeysSearch | null {
  const { spec } = ctx;
  const aligned = chooseVerifyMode(spec, ctx.source.kind, ctx.target.kind, ctx.sourceTable, ctx.targetTable).mode === 'aligned';
  if (!aligned && !keyIsCopied(spec)) return null;
  if (!aligned || spec.source.filter.length > 0) return { kind: 'scan' };
  // The initial load copies soft-deleted rows and no cursor run reads them again; hashes of keys cannot tell
  // them apart, so the first reconciliation after a start looks every target key up.
  if (ctx.sync.softDeleteColumn && ctx.sync.lastReconcileAt === null) return { kind: 'scan' };
  const keysOnly: MappingSpec = { ...spec, fields: spec.fields.filter((f) => spec.target.key.includes(f.target)) };
  const planned = planHashColumns({
    spec: keysOnly,
    sourceKind: ctx.source.kind,
    targetKind: ctx.target.kind,
    source: ctx.sourceTable,
    target: ctx.targetTable,
    settings: verifySettingsSchema.parse({}),
  });
  return planned.ok ? { kind: 'descend', details: planned.details } : { kind: 'scan' };
}

async function warnOnce(jobId: string, type: string, message: string): Promise<void> {
  if (await prisma().jobEvent.findFirst({ where: { jobId, type }, select: { id: true } })) return;
  await recordEvent(jobId, type, message, undefined, 'warn');
}
