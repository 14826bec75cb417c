import type { ColumnInfo, Connector, KeyTuple, Row } from '../connectors/connector';
import { prisma, type Prisma } from '../db/client';
import { sourceColumnsOf, targetColumnsOf } from '../mapping/apply-mapping';
import type { MappingSpec } from '../schemas/mapping-spec';
import type { ErrorRowDraft } from './error-row-draft';
import { keyOf, keyText, toKeyValue } from './key-text';
import type { IdRecorder } from './record-ids';
import { resolveBatchReferences, type ReferenceResolver } from './resolve-references';
import { makeBatchTransformer } from './transform-rows';
import { writeWithBisection } from './write-with-bisection';

/**
 * A whole-job replay leaves duplicate-key rows alone: writing them would overwrite the
 * row that won the key. Such a row is replayed only when asked for by id.
 */
export const replayableOnly = { code: { not: 'duplicate_key' } } as const;

export interface ReplayContext {
  spec: MappingSpec;
  mappingVersionId: string;
  source: Connector;
  target: Connector;
  targetColumns: ColumnInfo[];
  /** The source table's columns: how a plain copy spells values for the target. */
  sourceColumns: readonly ColumnInfo[];
  /** The spec's reference resolver (undefined: made here); an orphan stays an error row until its parent landed. */
  references?: ReferenceResolver | null;
  /** Records the rows that land in the mapping's id map when other mappings refer to it. */
  ids?: IdRecorder | null;
}

export interface StoredErrorRow {
  id: number;
  sourceKey: KeyTuple;
  sourceRow: Row;
  editedAt: Date | null;
}

export interface ReplayOutcome {
  resolved: number[];
  stillFailing: { id: number; draft: ErrorRowDraft }[];
  written: number;
}

/**
 * Sends failed rows through the given (usually newer) mapping version and the normal
 * write path. A row an analyst corrected is replayed with the corrected values; any
 * other row is read again from the source, so fixes made there count too.
 */
export async function replayErrorRows(ctx: ReplayContext, rows: StoredErrorRow[]): Promise<ReplayOutcome> {
  const { spec } = ctx;
  const toRead = rows.filter((r) => !r.editedAt).map((r) => r.sourceKey);
  const fresh = toRead.length ? await ctx.source.readKeys(spec.source.table, spec.source.key, sourceColumnsOf(spec), toRead) : [];
  const freshByKey = new Map(fresh.map((row) => [keyText(spec.source.key.map((k) => row[k]) as KeyTuple), row]));

  const outcome: ReplayOutcome = { resolved: [], stillFailing: [], written: 0 };
  const idByKey = new Map<string, number>();
  const inputs: Row[] = [];
  for (const row of rows) {
    const key = keyText(row.sourceKey);
    const input = row.editedAt ? row.sourceRow : freshByKey.get(key);
    if (!input) {
      outcome.stillFailing.push({
        id: row.id,
        draft: { sourceKey: row.sourceKey, sourceRow: row.sourceRow, stage: 'read', field: null, code: 'source_row_missing', message: 'The source row no longer exists' },
      });
      continue;
    }
    idByKey.set(key, row.id);
    inputs.push(input);
  }

  const batch = await resolveBatchReferences(spec, ctx.targetColumns, makeBatchTransformer(spec, ctx.targetColumns, ctx.sourceColumns)(inputs), ctx.references);
  for (const draft of batch.errors) outcome.stillFailing.push({ id: idByKey.get(keyText(draft.sourceKey)) as number, draft });
  const columns = targetColumnsOf(spec);
  const written = await writeWithBisection(
    ctx.target,
    { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode },
    batch.rows.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row })),
  );
  outcome.written = written.written;
  const failedKeys = new Set<string>();
  for (const { origin, failure } of written.failed) {
    failedKeys.add(keyText(origin.sourceKey));
    outcome.stillFailing.push({ id: idByKey.get(keyText(origin.sourceKey)) as number, draft: { sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure } });
  }
  const landed = batch.rows.filter((row) => !failedKeys.has(keyText(row.sourceKey)));
  if (ctx.ids) await ctx.ids.record(landed.map((row) => ({ sourceKey: row.sourceKey, targetKey: keyOf(row.values, spec.target.key).map(toKeyValue) })));
  for (const row of landed) outcome.resolved.push(idByKey.get(keyText(row.sourceKey)) as number);
  return outcome;
}

const asJson = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;

/** Marks passing rows resolved by the replay; the others take the reason they fail with now. */
export async function recordReplayOutcome(
  tx: Prisma.TransactionClient,
  outcome: ReplayOutcome,
  replayJobId: string | null,
  mappingVersionId: string,
): Promise<void> {
  if (outcome.resolved.length) {
    await tx.errorRow.updateMany({
      where: { id: { in: outcome.resolved } },
      data: { resolvedAt: new Date(), resolvedByJobId: replayJobId, lastReplayJobId: replayJobId },
    });
  }
  for (const { id, draft } of outcome.stillFailing) {
    await tx.errorRow.update({
      where: { id },
      data: {
        stage: draft.stage,
        field: draft.field,
        code: draft.code,
        message: draft.message.slice(0, 2000),
        sourceRow: asJson(draft.sourceRow),
        mappingVersionId,
        lastReplayJobId: replayJobId,
      },
    });
  }
}

export const storedErrorRowSelect = { id: true, sourceKey: true, sourceRow: true, editedAt: true } as const;

export function toStoredErrorRow(row: { id: number; sourceKey: unknown; sourceRow: unknown; editedAt: Date | null }): StoredErrorRow {
  return { id: row.id, sourceKey: row.sourceKey as KeyTuple, sourceRow: row.sourceRow as Row, editedAt: row.editedAt };
}

export async function loadStoredErrorRows(ids: number[]): Promise<StoredErrorRow[]> {
  const rows = await prisma().errorRow.findMany({ where: { id: { in: ids } }, select: storedErrorRowSelect, orderBy: { id: 'asc' } });
  return rows.map(toStoredErrorRow);
}
