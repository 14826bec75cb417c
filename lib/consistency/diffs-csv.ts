import { stringify } from 'csv-stringify/sync';
import { prisma } from '../db/client';
import type { DiffQuery, FieldDifference } from '../schemas/consistency';
import { assertReportExists, diffSelect, diffWhere } from './diff-query';

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * All differences of a run as CSV, streamed page by page: one line per differing field
 * (so a spreadsheet filter by field works), one line per other difference.
 */
export async function* diffsCsv(reportId: string, filter: Pick<DiffQuery, 'kind' | 'key'> = {}): AsyncGenerator<string> {
  await assertReportExists(reportId);
  yield stringify([['kind', 'key', 'field', 'source_value', 'target_value', 'error_row_id', 'source_row', 'target_row']]);
  let after = 0;
  for (;;) {
    const rows = await prisma().consistencyDiff.findMany({
      where: { ...diffWhere(reportId, filter), id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1000,
      select: diffSelect,
    });
    if (rows.length === 0) return;
    const lines: string[][] = [];
    for (const r of rows) {
      const base = [r.kind, r.keyText];
      const tail = [cell(r.errorRowId), cell(r.sourceRow), cell(r.targetRow)];
      const fields = (r.fields as FieldDifference[] | null) ?? [];
      if (fields.length === 0) lines.push([...base, '', '', '', ...tail]);
      for (const f of fields) lines.push([...base, f.field, cell(f.source), cell(f.target), ...tail]);
    }
    yield stringify(lines);
    after = rows[rows.length - 1].id;
  }
}
