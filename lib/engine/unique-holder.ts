import type { Connector, KeyTuple, TableDetail } from '../connectors/connector';
import type { ErrorRowDraft } from './error-row-draft';
import { toKeyValue } from './key-text';

interface UniqueConstraint {
  name: string;
  columns: string[];
}

/** A value's text for matching what the target returns (bigint as text, dates as ISO). */
const partText = (value: unknown) => (value === null || value === undefined ? null : String(toKeyValue(value)));
const tupleText = (values: unknown[]) => JSON.stringify(values.map(partText));

/** "id = 1042", "region = EU, order_no = ORD-7". */
const describeTuple = (columns: readonly string[], values: readonly unknown[]) => columns.map((c, i) => `${c} = ${partText(values[i]) ?? 'NULL'}`).join(', ');

/**
 * The constraint a unique violation concerns: by the field the failure names (its columns
 * joined with ',', as describe-write-error.ts and reject-unique-conflicts.ts name them, or
 * the constraint's or MySQL index's name), else every unique constraint of the table.
 */
function constraintsFor(field: string | null, constraints: readonly UniqueConstraint[]): readonly UniqueConstraint[] {
  if (field === null) return constraints;
  const named = constraints.filter((c) => c.columns.join(',') === field || c.name === field || (field === 'PRIMARY' && c.name === 'primary key'));
  return named.length > 0 ? named : constraints;
}

/**
 * Names, on a batch's unique-violation error rows, the target row that already holds the
 * value: "email = ann@example.com is already held by the target row with id = 1042 (unique
 * constraint contacts_email_key)", instead of the database's "duplicate key value" or the
 * unique check's "another row of this run". Called with the batch's drafts after its write,
 * so a value taken by another row of the same batch or by a parallel chunk is found too.
 *
 * One look-up per unique constraint per batch, with all the batch's values (never a query
 * per row), and only when the batch has such rows. Best effort: a value the target matches
 * differently (a case-insensitive index) or a failed look-up leaves the message as it was.
 * The drafts' messages are replaced in place.
 */
export async function nameUniqueHolders(target: Pick<Connector, 'readKeys'>, table: TableDetail, writeKey: readonly string[], drafts: ErrorRowDraft[]): Promise<void> {
  const violations = drafts.filter((d) => d.code === 'unique_violation' && d.stage === 'write' && d.targetValues !== undefined);
  if (violations.length === 0) return;
  // The write key's own constraint is the row's identity, not a value another row holds.
  const sameAsKey = (columns: readonly string[]) => columns.length === writeKey.length && columns.every((c) => writeKey.includes(c));
  const constraints: UniqueConstraint[] = [
    ...(table.primaryKey.length > 0 ? [{ name: 'primary key', columns: table.primaryKey }] : []),
    ...table.uniqueConstraints,
  ].filter((c) => !sameAsKey(c.columns));
  if (constraints.length === 0) return;

  // Per constraint: the drafts whose values it may concern, and the distinct tuples to look up.
  const wanted = new Map<UniqueConstraint, { draft: ErrorRowDraft; tuple: unknown[] }[]>();
  for (const draft of violations) {
    const values = draft.targetValues as Record<string, unknown>;
    for (const constraint of constraintsFor(draft.field, constraints)) {
      const tuple = constraint.columns.map((c) => values[c]);
      if (tuple.some((v) => v === null || v === undefined)) continue; // NULLs never conflict
      const list = wanted.get(constraint) ?? [];
      list.push({ draft, tuple });
      wanted.set(constraint, list);
    }
  }

  const named = new Set<ErrorRowDraft>();
  for (const [constraint, entries] of wanted) {
    const distinct = new Map(entries.map((e) => [tupleText(e.tuple), e.tuple]));
    let holders: Map<string, unknown[]>;
    try {
      const rows = await target.readKeys(table.name, constraint.columns, [...new Set([...constraint.columns, ...writeKey])], [...distinct.values()].map((t) => t.map(toKeyValue) as KeyTuple));
      holders = new Map(rows.map((row) => [tupleText(constraint.columns.map((c) => row[c])), writeKey.map((c) => row[c])]));
    } catch {
      continue;
    }
    for (const { draft, tuple } of entries) {
      if (named.has(draft)) continue;
      const holder = holders.get(tupleText(tuple));
      const own = writeKey.map((c) => (draft.targetValues as Record<string, unknown>)[c]);
      if (!holder || tupleText(holder) === tupleText(own)) continue;
      draft.message = `${describeTuple(constraint.columns, tuple)} is already held by the target row with ${describeTuple(writeKey, holder)} (unique constraint ${constraint.name})`;
      draft.field = constraint.columns.join(',');
      named.add(draft);
    }
  }
}
