import type { CsvShapeReport } from '@/lib/connectors/csv/csv-shape';

/** The first records as they read with the shape on screen; fields beyond the columns are marked, as the run would refuse them. */
export function ShapePreview({ report, columnNames }: { report: CsvShapeReport; columnNames: string[] }) {
  const widest = Math.max(columnNames.length, ...report.preview.map((r) => r.length));
  const headers = Array.from({ length: widest }, (_, i) => columnNames[i] ?? `(extra field ${i + 1})`);
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Preview of the first records">
        <thead>
          <tr>
            {headers.map((h, i) => (
              <th key={i} scope="col" className={`whitespace-nowrap px-2 py-2 text-left text-xs font-semibold text-slate-600 ${i >= columnNames.length ? 'bg-amber-50' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 font-mono text-xs">
          {report.preview.length === 0 && (
            <tr>
              <td colSpan={Math.max(1, widest)} className="px-2 py-4 text-center text-slate-500">
                No records after the header.
              </td>
            </tr>
          )}
          {report.preview.map((record, r) => {
            const misfit = record.length !== columnNames.length;
            return (
              <tr key={r} className={misfit ? 'bg-amber-50' : undefined} title={misfit ? `${record.length} fields for ${columnNames.length} columns` : undefined}>
                {headers.map((_, c) => (
                  <td key={c} className="max-w-64 truncate whitespace-nowrap px-2 py-1">
                    {record[c] ?? ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
