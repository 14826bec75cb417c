import type { Row } from '../connectors/connector';
import { prisma } from '../db/client';
import type { ErrorRowDraft } from '../engine/error-row-draft';
import type { JobContext } from '../engine/load-job-context';
import type { TransformedRow } from '../engine/transform-rows';
import { targetColumnsOf } from '../mapping/apply-mapping';
import { describeValue } from '../mapping/transform-error';
import { verifySettingsSchema } from '../schemas/consistency';
import { classifyMapped, compareWithTarget, normalizedKeyText } from './compare-batch';
import { compileComparers, compileKeyComparers } from './normalize';

/** How many differing fields an error row's message names. */
const FIELDS_NAMED = 3;

/**
 * A repair converges when the verification after it matches every row it wrote. This reads
 * the rows a repair batch wrote back from the target and compares them as that verification
 * will (the report's settings, normalize.ts): a row that still differs (a trigger or rule
 * changed it, a column type rounds it) or cannot be found becomes an error row that says so,
 * instead of a write that a verification would count different again and again.
 */
export async function makeWrittenRowsCheck(ctx: JobContext, reportId: string) {
  const report = await prisma().consistencyReport.findUnique({ where: { id: reportId }, select: { settings: true } });
  const settings = verifySettingsSchema.parse(report?.settings ?? {});
  const { spec, targetTable } = ctx;
  const comparers = compileComparers(targetTable.columns, targetColumnsOf(spec), settings);
  const keyComparers = compileKeyComparers(targetTable.columns, spec.target.key, settings);
  const readColumns = [...new Set([...spec.target.key, ...comparers.map((c) => c.column)])];

  return async (written: TransformedRow[]): Promise<ErrorRowDraft[]> => {
    if (written.length === 0) return [];
    const { keyed } = classifyMapped({ inScope: written.length, rows: written, errors: [] }, spec.target.key, keyComparers);
    const rows = keyed.length ? await ctx.target.readKeys(spec.target.table, spec.target.key, readColumns, keyed.map((k) => k.key)) : [];
    const byKey = new Map<string, Row>();
    for (const row of rows) {
      const text = normalizedKeyText(row, keyComparers);
      if (text !== null) byKey.set(text, row);
    }
    const bySourceKey = new Map(written.map((row) => [JSON.stringify(row.sourceKey), row]));
    return compareWithTarget(keyed, byKey, comparers).diffs.map((diff): ErrorRowDraft => {
      const origin = bySourceKey.get(JSON.stringify(diff.sourceKey));
      const base = { sourceKey: diff.sourceKey ?? diff.key, sourceRow: origin?.sourceRow ?? {}, stage: 'write' as const, code: 'not_converged' };
      if (diff.kind !== 'different' || !diff.fields) {
        return { ...base, field: null, message: 'written, but no row with its key is in the target afterwards (a trigger or rule removed or re-keyed it)' };
      }
      const named = diff.fields.slice(0, FIELDS_NAMED).map((f) => `"${f.field}" was written as ${describeValue(f.source)} and reads ${describeValue(f.target)}`);
      const more = diff.fields.length > FIELDS_NAMED ? ` (and ${diff.fields.length - FIELDS_NAMED} more)` : '';
      return {
        ...base,
        field: diff.fields[0].field,
        message: `written, but the target keeps another value: ${named.join('; ')}${more}. Something in the target changes it (a trigger, a rule, a type that rounds it); verification will count the row different until that changes`,
      };
    });
  };
}
