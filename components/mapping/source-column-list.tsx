'use client';
import type { TableDetail } from '@/lib/connectors/connector';
import { startColumnDrag } from './column-drag';

/** The source table's columns, each showing which targets use it; dragged onto target fields. */
export function SourceColumnList({
  sourceTable,
  usedBy,
  readOnly,
  dragged,
  onDragStart,
  onDragEnd,
}: {
  sourceTable: TableDetail;
  /** Source column → the targets that read it. */
  usedBy: ReadonlyMap<string, string[]>;
  readOnly: boolean;
  dragged: string | null;
  onDragStart: (column: string) => void;
  onDragEnd: () => void;
}) {
  return (
    <div className="md:sticky md:top-4 md:max-h-[calc(100vh-2rem)] md:self-start md:overflow-y-auto">
      <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Source · <span className="font-mono normal-case">{sourceTable.name}</span>
      </h3>
      <ul aria-label="Source columns" className="space-y-1">
        {sourceTable.columns.map((column) => {
          const targets = usedBy.get(column.name) ?? [];
          return (
            <li
              key={column.name}
              data-testid={`source-column-${column.name}`}
              draggable={!readOnly}
              onDragStart={(event) => {
                startColumnDrag(event, column.name);
                onDragStart(column.name);
              }}
              onDragEnd={onDragEnd}
              title={readOnly ? column.dataType : `${column.dataType} · drag onto a target field`}
              className={`rounded border px-2 py-1 text-xs ${readOnly ? '' : 'cursor-grab active:cursor-grabbing'} ${
                dragged === column.name ? 'border-indigo-400 bg-indigo-50' : targets.length > 0 ? 'border-slate-200 bg-white' : 'border-dashed border-slate-300 bg-slate-50'
              }`}
            >
              <div className="flex items-center gap-1">
                {!readOnly && (
                  <span aria-hidden className="text-slate-300">
                    ⋮⋮
                  </span>
                )}
                <span className="truncate font-mono font-medium text-slate-800">{column.name}</span>
                {sourceTable.primaryKey.includes(column.name) && <span className="rounded bg-indigo-100 px-1 text-[9px] font-semibold text-indigo-800">PK</span>}
              </div>
              <div className="flex items-center gap-1 pl-0.5">
                <span className="truncate font-mono text-[10px] text-slate-500">{column.dataType}</span>
                {targets.length > 0 && (
                  <span className="ml-auto truncate text-[10px] text-indigo-700" title={`used by ${targets.join(', ')}`}>
                    → {targets.join(', ')}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
