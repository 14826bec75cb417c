'use client';
import type { TableDetail } from '@/lib/connectors/connector';
import { ColumnPicker } from './column-picker';
import { IconButton } from './controls';

/**
 * A field's sources after the first: used in turn while the value is null after the
 * field's transforms (each source is cleaned by them first, up to a default or constant,
 * which apply once all are null), or all joined when the field has a concat transform.
 */
export function ExtraSources({
  target,
  sources,
  joined,
  sourceTable,
  readOnly,
  onSources,
}: {
  target: string;
  sources: string[];
  joined: boolean;
  sourceTable: TableDetail;
  readOnly: boolean;
  onSources: (sources: string[]) => void;
}) {
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-1.5 pl-4 text-xs">
      <span
        className="text-[11px] text-slate-500"
        title={
          joined
            ? 'The transforms before the join apply to each source.'
            : 'Each source goes through the transforms below (up to a default or constant); the first that is still not null is used. A blank value that “Empty text → null” turns into null falls through too.'
        }
      >
        {joined ? 'Joined with:' : 'Then, if null after the transforms:'}
      </span>
      {sources.slice(1).map((source, offset) => (
        <span key={`${source}-${offset}`} className="inline-flex items-center gap-0.5 rounded border border-slate-200 bg-slate-50 pl-1.5 font-mono text-[11px]">
          {source}
          {!readOnly && (
            <IconButton label={`Remove source ${source} from ${target}`} tone="danger" onClick={() => onSources(sources.filter((_, i) => i !== offset + 1))}>
              ×
            </IconButton>
          )}
        </span>
      ))}
      {!readOnly && (
        <ColumnPicker
          label={`Add source to ${target}`}
          columns={sourceTable.columns}
          exclude={sources}
          showType
          value=""
          emptyLabel="+ add source…"
          onChange={(column) => {
            if (column) onSources([...sources, column]);
          }}
          className="w-40 font-mono text-slate-600"
        />
      )}
    </div>
  );
}
