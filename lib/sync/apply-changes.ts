import { listFieldAccess } from '../engine/copy-batch';
import type { ColumnInfo, KeyTuple, Row } from '../connectors/connector';
import { makeCorrector, type Corrector } from '../corrections/apply-corrections';
import { writeErrorDraft, type ErrorRowDraft } from '../engine/error-row-draft';
import { keyText, toKeyValue } from '../engine/key-text';
import type { JobContext } from '../engine/load-job-context';
import { rejectUniqueConflicts } from '../engine/reject-unique-conflicts';
import { makeListBatchTransformer, sourceReadColumns, type ListTransformedRow } from '../engine/transform-list-rows';
import { nameUniqueHolders } from '../engine/unique-holder';
import { batchTimeoutMs, withTimeout } from '../engine/with-timeout';
import { writeWithBisection } from '../engine/write-with-bisection';
import { chooseVerifyMode } from '../consistency/choose-mode';
import { sourceColumnsOf, targetColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import { withKeyColumns } from '../connectors/with-key-columns';
import type { MappingSpec } from '../schemas/mapping-spec';

/**
 * One change of a source row, whatever read it (a cursor run, the PostgreSQL log, the binlog).
 * `commitTime`: epoch ms when the source committed it (the start of the delay D).
 */
export type SourceChange =
  /** The row as it is now. `reread`: some of its values were not sent (unchanged TOAST): read it again by key. */
  | { op: 'upsert'; row: Row; commitTime: number; reread?: boolean }
  /** The row is gone. `before`: its last values, when the log has them (a derived target key needs them). */
  | { op: 'delete'; key: KeyTuple; before: Row | null; commitTime: number }
  /** The source table was emptied. */
  | { op: 'truncate'; commitTime: number };

export interface DeleteSettings {
  policy: 'apply' | 'mark' | 'ignore';
  /** The target column a marked deletion sets. */
  markColumn: string | null;
  /** A source column whose value (not null, not false, not 0) says the row is deleted. */
  softDeleteColumn: string | null;
}

export interface AppliedChanges {
  /** Rows written to the target. */
  upserts: number;
  /** Target rows deleted or marked. */
  deletes: number;
  /** Source rows read (changes after collapsing per key). */
  read: number;
  errors: ErrorRowDraft[];
  /** Source key texts that landed (or were deleted): their open error rows are resolved. */
  landed: string[];
  /** A retry of open error rows (retry-failed-keys.ts): a row an admin dismissed meanwhile stays dismissed. */
  retry?: boolean;
}

/**
 * The sync's apply side: the migration engine's mapping, checks and write path, for
 * changes instead of key ranges. A batch is applied in segments between truncates; in each,
 * changes are collapsed per source key (the last one wins: writes are idempotent, so only
 * each key's final state matters), deletions go first (a deleted row's unique values are
 * then free for the rows written after), then the rows are mapped, checked for unique
 * conflicts and upserted with bisection, so one bad row becomes an error row and the rest land.
 *
 * A deletion needs the target key: when the target key is a copy of the source key it is
 * the source key; otherwise the log's before-image is mapped (binlog rows are whole;
 * PostgreSQL needs REPLICA IDENTITY FULL), and without one the deletion is an error row.
 */
export function makeChangeApplier(ctx: JobContext, deletes: DeleteSettings) {
  const { spec } = ctx;
  const readColumns = sourceReadColumns(spec);
  const { transform } = makeListBatchTransformer(spec, ctx.targetTable.columns, ctx.sourceTable.columns);
  const columns = targetColumnsOf(spec);
  // A sync writes idempotently: a plain insert would fail on the second delivery of a change.
  const writeRequest = { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode === 'update' ? ('update' as const) : ('upsert' as const) };
  const aligned = chooseVerifyMode(spec, ctx.source.kind, ctx.target.kind, ctx.sourceTable, ctx.targetTable).mode === 'aligned' || keyIsCopied(spec);
  const markColumn = deletes.markColumn ? ctx.targetTable.columns.find((c) => c.name === deletes.markColumn) ?? null : null;
  if (deletes.policy === 'mark' && !markColumn) throw new Error(`The mark column "${deletes.markColumn}" is not in the target table ${spec.target.table}`);

  // Corrections made while a log reader runs must apply too: the corrector is renewed every half minute.
  let corrector: Corrector | null = null;
  let correctorAt = 0;
  const correctorNow = () => {
    if (!corrector || Date.now() - correctorAt > 30_000) {
      corrector = makeCorrector({ mappingVersionId: ctx.mappingVersionId }, { keyColumns: spec.source.key, arrayColumns: readColumns });
      correctorAt = Date.now();
    }
    return corrector;
  };

  const sourceKeyOfRow = (row: Row): KeyTuple => spec.source.key.map((c) => toKeyValue(row[c]));
  // A row changed so that the mapping's source filter no longer keeps it has left the mapping: a deletion for the target.
  const inScope = spec.source.filter.length > 0 ? compileSourceFilter(spec.source.filter) : () => true;
  const isSoftDeleted = (row: Row) => {
    if (!deletes.softDeleteColumn) return false;
    const v = row[deletes.softDeleteColumn];
    return !(v === null || v === undefined || v === false || v === 0 || v === '0');
  };

  async function applySegment(changes: SourceChange[], out: AppliedChanges): Promise<void> {
    // The last change of each key, in first-seen order.
    const last = new Map<string, Exclude<SourceChange, { op: 'truncate' }>>();
    for (const change of changes) {
      if (change.op === 'truncate') continue;
      const key = change.op === 'delete' ? change.key.map(toKeyValue) : sourceKeyOfRow(change.row);
      const text = keyText(key);
      last.delete(text);
      if (change.op === 'upsert' && !change.reread && (isSoftDeleted(change.row) || !inScope(change.row))) last.set(text, { op: 'delete', key, before: change.row, commitTime: change.commitTime });
      else last.set(text, change);
    }
    out.read += last.size;
    const rereads: KeyTuple[] = [];
    const upserts: Row[] = [];
    const removals: { key: KeyTuple; before: Row | null }[] = [];
    for (const change of last.values()) {
      if (change.op === 'delete') removals.push({ key: change.key.map(toKeyValue), before: change.before });
      else if (change.reread) rereads.push(sourceKeyOfRow(change.row));
      else upserts.push(change.row);
    }
    if (rereads.length) {
      // A row gone by now is deleted later in the stream; nothing to write for it here.
      for (const row of await ctx.source.readKeys(spec.source.table, spec.source.key, changeReadColumns(spec, deletes), rereads)) {
        if (isSoftDeleted(row) || !inScope(row)) removals.push({ key: sourceKeyOfRow(row), before: row });
        else upserts.push(row);
      }
    }
    if (removals.length) await removeRows(removals, out);
    if (upserts.length) await writeRows(upserts, out);
  }

  async function removeRows(removals: { key: KeyTuple; before: Row | null }[], out: AppliedChanges): Promise<void> {
    const targetKeys: KeyTuple[] = [];
    for (const { key, before } of removals) {
      const sourceKeyText = keyText(key);
      if (aligned) {
        targetKeys.push(key);
        out.landed.push(sourceKeyText);
        continue;
      }
      const mapped = before ? transform([readColumns.map((c) => before[c] ?? null)]).rows[0] : undefined;
      if (!mapped) {
        out.errors.push({
          sourceKey: key,
          sourceRow: before ?? Object.fromEntries(spec.source.key.map((c, i) => [c, key[i]])),
          stage: 'write',
          field: spec.target.key.join(','),
          code: 'delete_key_unknown',
          message: before
            ? 'The row was deleted in the source, but its last values do not map to a target key'
            : 'The row was deleted in the source; its target key is derived from other columns, which the log did not send (PostgreSQL: set REPLICA IDENTITY FULL on the source table)',
        });
        continue;
      }
      targetKeys.push(spec.target.key.map((c) => toKeyValue(mapped.values[c])));
      out.landed.push(sourceKeyText);
    }
    if (targetKeys.length === 0 || deletes.policy === 'ignore') return;
    if (deletes.policy === 'apply') {
      out.deletes += await withTimeout(ctx.target.deleteKeys(spec.target.table, spec.target.key, targetKeys), batchTimeoutMs(), 'Deleting rows');
      return;
    }
    const mark = markValue(markColumn!);
    const written = await withTimeout(
      ctx.target.writeBatch({ table: spec.target.table, keyColumns: spec.target.key, columns: [...spec.target.key, markColumn!.name], rows: targetKeys.map((k) => [...k, mark]), mode: 'update' }),
      batchTimeoutMs(),
      'Marking deleted rows',
    );
    out.deletes += written.written;
  }

  async function writeRows(rowsByName: Row[], out: AppliedChanges): Promise<void> {
    const arrays = rowsByName.map((row) => readColumns.map((c) => (row[c] === undefined ? null : row[c])));
    await correctorNow().arrays(arrays);
    const mapped = transform(arrays);
    for (const e of mapped.errors) out.errors.push(e);
    let rows = mapped.rows;
    // A synced child resolves its references like a migration (a parent synced too keeps its id map current).
    if (ctx.references) {
      const resolved = await ctx.references.resolve(rows, listFieldAccess);
      rows = resolved.kept;
      for (const orphan of resolved.orphans) out.errors.push(orphan);
    }
    const inBatch = await rejectUniqueConflicts(ctx.target, ctx.targetTable, spec.target.key, rows, false);
    const drafts: ErrorRowDraft[] = inBatch.rejected.map(({ row, failure }) => writeErrorDraft(row, failure));
    const unique = await withTimeout(rejectUniqueConflicts(ctx.target, ctx.targetTable, spec.target.key, inBatch.clean), batchTimeoutMs(), 'Checking unique values');
    for (const { row, failure } of unique.rejected) drafts.push(writeErrorDraft(row, failure));
    const clean = unique.clean as ListTransformedRow[];
    const written = await withTimeout(writeWithBisection(ctx.target, writeRequest, clean.map((row) => ({ values: row.list, origin: row }))), batchTimeoutMs(), 'Writing a batch');
    for (const { origin, failure } of written.failed) drafts.push(writeErrorDraft(origin, failure));
    if (ctx.ids) {
      const failedRows = new Set(written.failed.map((f) => f.origin));
      const keyAt = spec.target.key.map((c) => columns.indexOf(c));
      await ctx.ids.record(clean.filter((row) => !failedRows.has(row)).map((row) => ({ sourceKey: row.sourceKey, targetKey: keyAt.map((i) => toKeyValue(row.list[i] ?? null)) })));
    }
    await nameUniqueHolders(ctx.target, ctx.targetTable, spec.target.key, drafts);
    for (const d of drafts) out.errors.push(d);
    out.upserts += written.written;
    const failed = new Set(drafts.map((d) => keyText(d.sourceKey)));
    for (const row of clean) {
      const text = keyText(row.sourceKey);
      if (!failed.has(text)) out.landed.push(text);
    }
  }

  /** Empties or marks the whole target table, as the delete policy says. */
  async function truncateTarget(out: AppliedChanges): Promise<void> {
    if (deletes.policy === 'ignore') return;
    if (deletes.policy === 'apply') {
      await ctx.target.truncate(spec.target.table);
      return;
    }
    // Marking every row: through the target's keys in batches, as any other marked deletion.
    const mark = markValue(markColumn!);
    for await (const keys of ctx.target.readRangeArrays({ table: spec.target.table, keyColumns: spec.target.key, columns: spec.target.key, range: { lower: null, upper: null }, batchSize: 5000 })) {
      const rows = keys.map((k) => [...k.slice(0, spec.target.key.length), mark]);
      out.deletes += (await ctx.target.writeBatch({ table: spec.target.table, keyColumns: spec.target.key, columns: [...spec.target.key, markColumn!.name], rows, mode: 'update' })).written;
    }
  }

  /** Applies changes in order; the caller stores the checkpoint only after this returns. */
  return async function applyChanges(changes: SourceChange[]): Promise<AppliedChanges> {
    const out: AppliedChanges = { upserts: 0, deletes: 0, read: 0, errors: [], landed: [] };
    let segment: SourceChange[] = [];
    for (const change of changes) {
      if (change.op !== 'truncate') {
        segment.push(change);
        continue;
      }
      // Changes before a truncate are emptied with the table; only their errors would remain.
      segment = [];
      await truncateTarget(out);
    }
    if (segment.length) await applySegment(segment, out);
    return out;
  };
}

export type ChangeApplier = ReturnType<typeof makeChangeApplier>;

/**
 * The source columns a sync reads for a row (cursor runs, failed-key retries, re-reads):
 * the mapping's, its key, and the soft-delete column, which decides whether the row is a
 * deletion even when the mapping does not map it. In withKeyColumns order.
 */
export function changeReadColumns(spec: MappingSpec, deletes: Pick<DeleteSettings, 'softDeleteColumn'>): string[] {
  const columns = sourceColumnsOf(spec);
  if (deletes.softDeleteColumn && !columns.includes(deletes.softDeleteColumn)) columns.push(deletes.softDeleteColumn);
  return withKeyColumns(spec.source.key, columns);
}

/** True when every target key column is a plain copy of the source key column at its place (any engines). */
export function keyIsCopied(spec: MappingSpec): boolean {
  if (spec.source.key.length !== spec.target.key.length) return false;
  return spec.target.key.every((targetKey, i) => {
    const field = spec.fields.find((f) => f.target === targetKey);
    return !!field && field.sources.length === 1 && field.sources[0] === spec.source.key[i] && field.transforms.length === 0;
  });
}

/** What a marked deletion writes: the time for a timestamp or date column, true for a boolean, else the time as text. */
function markValue(column: ColumnInfo): unknown {
  if (column.family === 'boolean') return true;
  if (column.family === 'integer') return 1;
  return new Date();
}
