import type { ColumnInfo, Connector, KeyTuple, Row } from '../connectors/connector';
import { prisma } from '../db/client';
import { compileValueCheck, type ValueCheck } from '../mapping/validate-row';
import type { FieldReference, MappingSpec } from '../schemas/mapping-spec';
import { cachedConnector, cachedTableDetail } from './connector-cache';
import type { ErrorRowDraft } from './error-row-draft';
import { findInIdMap } from './id-map-store';
import { keyText, toKeyValue } from './key-text';
import { metadataPool } from './metadata-pool';
import { referenceKeyParts, referenceKeyText } from './reference-key-text';

/** What the resolver needs of a mapped row: its source side (for an orphan's error row) and its field values. */
export interface ReferencingRow {
  sourceKey: KeyTuple;
  sourceRow: Row;
}

/** Reads and writes one field's value of a row, whatever shape the caller keeps rows in. */
export interface FieldAccess<R> {
  get(row: R, field: number): unknown;
  set(row: R, field: number, value: unknown): void;
}

export interface ResolvedRows<R> {
  kept: R[];
  /** Rows whose parent record was not migrated (or failed a check once resolved). */
  orphans: ErrorRowDraft[];
}

export interface ReferenceResolver {
  resolve<R extends ReferencingRow>(rows: R[], access: FieldAccess<R>): Promise<ResolvedRows<R>>;
}

interface ParentLookup {
  fieldIndex: number;
  field: string;
  reference: FieldReference;
  parentName: string;
  check: ValueCheck;
  /** Integer target columns take the id as a number when it fits, else as its digits. */
  integerTarget: boolean;
  find(keys: string[]): Promise<Map<string, string>>;
}

/**
 * Resolves a batch's reference fields (FieldMapping.reference) in bulk: one look-up per
 * reference field per batch, never one per row. A mapped row carries the parent's source
 * key as read; it leaves with the parent's target id (the id map, or the parent target's
 * external-id column). A row whose parent was not migrated is an orphan error row,
 * "parent <mapping> <key> not migrated", linked to the parent's open error row when the
 * parent failed. A NULL reference stays NULL (the column's NOT NULL check decides).
 * Null when the spec has no reference field. Preview, run, replay and verification all
 * resolve through this, so they agree.
 */
export async function makeReferenceResolver(spec: MappingSpec, targetColumns: readonly ColumnInfo[]): Promise<ReferenceResolver | null> {
  const referenced = spec.fields.flatMap((field, index) => (field.reference ? [{ field, index, reference: field.reference }] : []));
  if (referenced.length === 0) return null;
  const parentIds = [...new Set(referenced.map((r) => r.reference.mapping))];
  const parents = await prisma().mapping.findMany({
    where: { id: { in: parentIds } },
    select: { id: true, name: true, targetConnectionId: true, targetTable: true },
  });
  const byId = new Map(parents.map((p) => [p.id, p]));
  const lookups: ParentLookup[] = [];
  for (const { field, index, reference } of referenced) {
    const parent = byId.get(reference.mapping);
    if (!parent) throw new ReferenceSetupError(`field "${field.target}" refers to a mapping that no longer exists (${reference.mapping})`);
    const column = targetColumns.find((c) => c.name === field.target);
    const check = column ? compileValueCheck(column, { writeMode: spec.writeMode }) : () => null;
    const integerTarget = column?.family === 'integer';
    let find: ParentLookup['find'];
    if (reference.by === 'id_map') {
      find = (keys) => findInIdMap(reference.mapping, keys);
    } else {
      const [connector, table] = await Promise.all([cachedConnector(parent.targetConnectionId), cachedTableDetail(parent.targetConnectionId, parent.targetTable)]);
      if (table.primaryKey.length !== 1) {
        throw new ReferenceSetupError(`field "${field.target}": the table "${parent.targetTable}" of mapping "${parent.name}" needs a one-column primary key to be referenced`);
      }
      find = (keys) => findByTargetColumn(connector, parent.targetTable, reference.column, table.primaryKey[0], keys);
    }
    lookups.push({ fieldIndex: index, field: field.target, reference, parentName: parent.name, check, integerTarget, find });
  }

  return {
    async resolve<R extends ReferencingRow>(rows: R[], access: FieldAccess<R>): Promise<ResolvedRows<R>> {
      const failed = new Map<R, ErrorRowDraft>();
      for (const lookup of lookups) {
        const keyOfRow = new Map<R, string>();
        const wanted = new Set<string>();
        for (const row of rows) {
          if (failed.has(row)) continue;
          const tuple = access.get(row, lookup.fieldIndex);
          if (tuple === null || tuple === undefined) continue;
          const text = referenceKeyText((tuple as unknown[]).map(toKeyValue));
          keyOfRow.set(row, text);
          wanted.add(text);
        }
        const found = wanted.size > 0 ? await lookup.find([...wanted]) : new Map<string, string>();
        const missing = [...wanted].filter((key) => !found.has(key));
        const parentErrors = missing.length > 0 ? await findParentErrorRows(lookup.reference.mapping, missing) : new Map<string, number>();
        for (const row of rows) {
          if (failed.has(row)) continue;
          const key = keyOfRow.get(row);
          let value: unknown = null;
          if (key !== undefined) {
            const id = found.get(key);
            if (id === undefined) {
              const parentErrorRowId = parentErrors.get(key) ?? null;
              failed.set(row, {
                sourceKey: row.sourceKey,
                sourceRow: row.sourceRow,
                stage: 'validate',
                field: lookup.field,
                code: 'parent_not_migrated',
                message: `parent ${lookup.parentName} ${displayKey(key)} not migrated${parentErrorRowId !== null ? ' (it is an error row)' : ''}`,
                parentErrorRowId,
              });
              continue;
            }
            value = lookup.integerTarget ? integerOrText(id) : id;
          }
          const problem = lookup.check(value);
          if (problem !== null) {
            failed.set(row, { sourceKey: row.sourceKey, sourceRow: row.sourceRow, ...problem });
            continue;
          }
          access.set(row, lookup.fieldIndex, value);
        }
      }
      if (failed.size === 0) return { kept: rows, orphans: [] };
      return { kept: rows.filter((row) => !failed.has(row)), orphans: [...failed.values()] };
    },
  };
}

/** A spec or parent that cannot be resolved at all (a deleted parent mapping): the whole job's problem, not a row's. */
export class ReferenceSetupError extends Error {}

async function findByTargetColumn(target: Connector, table: string, column: string, primaryKey: string, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const rows = await target.readKeys(table, [column], [primaryKey], keys.map((key) => [key]));
  for (const row of rows) {
    const legacy = row[column];
    const id = row[primaryKey];
    if (legacy === null || legacy === undefined || id === null || id === undefined) continue;
    found.set(referenceKeyText([toKeyValue(legacy)]), String(toKeyValue(id)));
  }
  return found;
}

/**
 * The parent's open error rows for these keys (latest first): an orphan links to the row
 * that explains it. Error rows key on keyText, which tells 17 from "17"; references match
 * either spelling. Looked up through the parent's jobs that have open error rows (the
 * unique index on job and key), none when it has none.
 */
async function findParentErrorRows(parentMappingId: string, keys: string[]): Promise<Map<string, number>> {
  const { rows: jobs } = await metadataPool().query<{ id: string }>(
    `SELECT j.id FROM jobs j WHERE j.mapping_id = $1 AND EXISTS (SELECT 1 FROM error_rows e WHERE e.job_id = j.id AND e.resolved_at IS NULL)`,
    [parentMappingId],
  );
  if (jobs.length === 0) return new Map();
  const spellings = new Map<string, string>();
  for (const key of keys) {
    const parts = parseReferenceKey(key);
    spellings.set(keyText(parts), key);
    const numeric = parts.map((p) => (typeof p === 'string' && /^-?\d{1,15}$/.test(p) ? Number(p) : p));
    spellings.set(keyText(numeric), key);
  }
  // One probe of the (job_id, source_key_text) index per pair (LATERAL … LIMIT 1 is never
  // flattened): with `= ANY(…)` and no fresh statistics PostgreSQL may read every error row
  // of the parent's jobs per batch (hundreds of thousands in a large plan).
  const { rows } = await metadataPool().query<{ id: number; kt: string }>(
    `SELECT e.id, e.kt FROM unnest($1::text[]) AS j(id) CROSS JOIN unnest($2::text[]) AS u(kt)
       CROSS JOIN LATERAL (SELECT x.id, x.source_key_text AS kt FROM error_rows x
                            WHERE x.job_id = j.id AND x.source_key_text = u.kt AND x.resolved_at IS NULL LIMIT 1) e
      ORDER BY e.id DESC`,
    [jobs.map((j) => j.id), [...spellings.keys()]],
  );
  const linked = new Map<string, number>();
  for (const row of rows) {
    const key = spellings.get(row.kt);
    if (key !== undefined && !linked.has(key)) linked.set(key, row.id);
  }
  return linked;
}

const parseReferenceKey = (key: string): KeyTuple => referenceKeyParts(key);

const displayKey = (key: string) => referenceKeyParts(key).join(', ');

function integerOrText(id: string): number | string {
  const n = Number(id);
  return Number.isSafeInteger(n) && String(n) === id ? n : id;
}

/** Field access for rows mapped by makeBatchTransformer (values by target column name). */
export function namedFieldAccess(spec: MappingSpec): FieldAccess<{ values: Record<string, unknown> }> {
  const names = spec.fields.map((field) => field.target);
  return {
    get: (row, field) => row.values[names[field]],
    set: (row, field, value) => {
      row.values[names[field]] = value;
    },
  };
}

/**
 * Resolves a makeBatchTransformer batch's references in place: orphans move from its rows
 * to its error rows. Loads the resolver for the spec (null: nothing to do).
 */
export async function resolveBatchReferences<B extends { rows: (ReferencingRow & { values: Record<string, unknown> })[]; errors: ErrorRowDraft[] }>(
  spec: MappingSpec,
  targetColumns: readonly ColumnInfo[],
  batch: B,
  resolver?: ReferenceResolver | null,
): Promise<B> {
  const references = resolver === undefined ? await makeReferenceResolver(spec, targetColumns) : resolver;
  if (references === null) return batch;
  type Named = B['rows'][number];
  const { kept, orphans } = await references.resolve<Named>(batch.rows, namedFieldAccess(spec) as FieldAccess<Named>);
  batch.rows = kept;
  for (const orphan of orphans) batch.errors.push(orphan);
  return batch;
}
