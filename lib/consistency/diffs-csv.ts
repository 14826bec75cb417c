import { csvRows } from '../csv/csv-rows';
import { prisma } from '../db/client';
import type { DiffQuery, FieldDifference } from '../schemas/consistency';
import { assertReportExists, diffSelect, diffWhere } from './diff-query';

/**
 * All differences of a run as CSV, streamed page by page: one line per differing field
 * (so a spreadsheet filter by field works), one line per other difference. Cells that could
 * start a formula are neutralised (csvRows).
 */
export async function* diffsCsv(reportId: string, filter: Pick<DiffQuery, 'kind' | 'key'> = {}): AsyncGenerator<string> {
  await assertReportExists(reportId);
  yield csvRows([['kind', 'key', 'field', 'source_value', 'target_value', 'error_row_id', 'source_row', 'target_row']]);
  let after = 0;
  for (;;) {
    const rows = await prisma().consistencyDiff.findMany({
      where: { ...diffWhere(reportId, filter), id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1000,
      select: diffSelect,
    });
    if (rows.length === 0) return;
    const lines: unknown[][] = [];
    for (const r of rows) {
      const base = [r.kind, r.keyText];
      const tail = [r.errorRowId, r.sourceRow, r.targetRow];
      const fields = (r.fields as FieldDifference[] | null) ?? [];
      if (fields.length === 0) lines.push([...base, '', '', '', ...tail]);
      for (const f of fields) lines.push([...base, f.field, f.source, f.target, ...tail]);
    }
    yield csvRows(lines);
    after = rows[rows.length - 1].id;
  }
}
