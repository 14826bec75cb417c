import type { Connector, KeyTuple, TableDetail } from '../connectors/connector';
import type { WriteFailure } from './describe-write-error';
import { toKeyValue } from './key-text';
import type { TransformedRow } from './transform-rows';

export interface UniqueCheckResult {
  clean: TransformedRow[];
  rejected: { row: TransformedRow; failure: WriteFailure }[];
}

/**
 * Finds rows that would break a unique constraint other than the write key (a duplicate
 * email, say) before writing: against other rows of the batch (the first in source-key
 * order keeps the value) and against target rows with another key. Without this, every
 * such row costs a bisection of its batch — a dozen statements each. Anything this misses
 * (a value the database normalizes differently) still fails the write and is bisected.
 */
export async function rejectUniqueConflicts(
  target: Connector,
  table: TableDetail,
  writeKey: string[],
  rows: TransformedRow[],
  /** false: only rows of this batch against each other (no query). */
  againstTarget = true,
): Promise<UniqueCheckResult> {
  const constraints = [
    ...(table.primaryKey.length ? [{ name: 'primary key', columns: table.primaryKey }] : []),
    ...table.uniqueConstraints,
  ].filter((c) => !sameColumns(c.columns, writeKey) && c.columns.every((column) => rows[0]?.values && column in rows[0].values));
  if (constraints.length === 0 || rows.length === 0) return { clean: rows, rejected: [] };

  const rejected = new Map<TransformedRow, WriteFailure>();
  for (const constraint of constraints) {
    const live = rows.filter((row) => !rejected.has(row));
    const valueOf = (row: TransformedRow): KeyTuple | null => {
      const tuple = constraint.columns.map((c) => toKeyValue(row.values[c]));
      return tuple.some((v) => v === null) ? null : tuple; // NULLs never conflict
    };
    const ownerKey = (row: TransformedRow) => looseText(writeKey.map((c) => row.values[c]));
    // One column (the usual unique email): its text straight from the value, no tuple per row.
    const single = constraint.columns.length === 1 ? constraint.columns[0] : null;
    const textOf = (row: TransformedRow): string | null => {
      if (single !== null) {
        const v = toKeyValue(row.values[single]);
        return v === null ? null : `s${String(v)}`;
      }
      const value = valueOf(row);
      return value ? looseText(value) : null;
    };
    const firstByValue = new Map<string, TransformedRow>();
    for (const row of live) {
      const text = textOf(row);
      if (text === null) continue;
      const first = firstByValue.get(text);
      if (!first) firstByValue.set(text, row);
      else if (ownerKey(first) !== ownerKey(row)) rejected.set(row, failureFor(constraint, valueOf(row) as KeyTuple, 'another row of this run'));
    }
    if (firstByValue.size === 0 || !againstTarget) continue;
    const tuples = [...firstByValue.values()].map((row) => valueOf(row) as KeyTuple);
    const existing = await target.readKeys(table.name, constraint.columns, [...new Set([...constraint.columns, ...writeKey])], tuples);
    const holder = new Map(existing.map((row) => [looseText(constraint.columns.map((c) => row[c])), looseText(writeKey.map((c) => row[c]))]));
    for (const [text, row] of firstByValue) {
      const heldBy = holder.get(text);
      if (heldBy !== undefined && heldBy !== ownerKey(row) && !rejected.has(row)) {
        rejected.set(row, failureFor(constraint, valueOf(row) as KeyTuple, `the target row with key ${heldBy}`));
      }
    }
  }
  return {
    clean: rows.filter((row) => !rejected.has(row)),
    rejected: [...rejected].map(([row, failure]) => ({ row, failure })),
  };
}

/**
 * Key text that ignores the driver's choice of number or string (bigint comes back as
 * text). One column (the usual case, thousands of times per batch) skips JSON.
 */
function looseText(values: unknown[]): string {
  if (values.length === 1) return values[0] === null || values[0] === undefined ? 'n' : `s${String(toKeyValue(values[0]))}`;
  return JSON.stringify(values.map((v) => (v === null || v === undefined ? null : String(toKeyValue(v)))));
}

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));

function failureFor(constraint: { name: string; columns: string[] }, value: KeyTuple, holder: string): WriteFailure {
  return {
    field: constraint.columns.join(','),
    code: 'unique_violation',
    message: `${constraint.columns.join(', ')} = ${value.map(String).join(', ')} is already used by ${holder} (unique constraint ${constraint.name})`,
  };
}
