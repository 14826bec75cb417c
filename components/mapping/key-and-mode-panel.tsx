'use client';
import type { ColumnInfo, TableDetail } from '@/lib/connectors/connector';
import { filterOps, type FilterOp } from '@/lib/schemas/mapping-spec';
import { ColumnPicker } from './column-picker';
import { IconButton, Labeled, MiniInput, MiniSelect } from './controls';
import { uid, type DraftUpdate, type MappingDraft } from './mapping-draft';
import type { EditorIssue } from './mapping-issues';
import { filterOpLabels } from './operation-labels';

const writeModeHelp: Record<MappingDraft['writeMode'], string> = {
  upsert: 'Insert new rows and update rows whose target key exists. Safe to re-run.',
  insert: 'Insert only; rows whose key already exists fail.',
  update: 'Update existing rows only; unmapped columns are left as they are.',
};

const duplicateHelp: Record<MappingDraft['duplicatePolicy']['mode'], string> = {
  error: 'Source rows that map to the same target key are reported as errors.',
  first_wins: 'The first source row (in source key order) wins; later ones are skipped.',
  last_wins: 'The row with the greatest “order by” value wins (e.g. updated_at).',
};

/** Which rows are read and how they are matched and written. */
export function KeyAndModePanel({
  draft,
  update,
  sourceTable,
  targetTable,
  readOnly,
  issues,
}: {
  draft: MappingDraft;
  update: DraftUpdate;
  sourceTable: TableDetail;
  targetTable: TableDetail;
  readOnly: boolean;
  issues: readonly EditorIssue[];
}) {
  const hasIssue = (prefix: string) => issues.some((issue) => issue.severity === 'error' && (issue.path === prefix || issue.path.startsWith(`${prefix}.`)));
  const sourceColumn = (name: string) => sourceTable.columns.find((c) => c.name === name);

  return (
    <section aria-label="Keys and write mode" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-800">Keys and write mode</h2>
      </header>
      <div className="grid gap-x-6 gap-y-4 p-4 md:grid-cols-2 xl:grid-cols-4">
        <KeyColumns
          side="source"
          columns={sourceTable.columns}
          primaryKey={sourceTable.primaryKey}
          value={draft.source.key}
          readOnly={readOnly}
          invalid={hasIssue('source.key')}
          help="Unique, ordered: used to page through the source and to name failed rows."
          onChange={(key) => update((d) => ({ ...d, source: { ...d.source, key } }))}
        />
        <KeyColumns
          side="target"
          columns={targetTable.columns}
          primaryKey={targetTable.primaryKey}
          value={draft.target.key}
          readOnly={readOnly}
          invalid={hasIssue('target.key')}
          help="Matches rows on re-runs (the upsert conflict target); must be mapped."
          onChange={(key) => update((d) => ({ ...d, target: { ...d.target, key } }))}
        />
        <div>
          <Labeled label="Write mode">
            <MiniSelect
              value={draft.writeMode}
              onChange={(e) => update((d) => ({ ...d, writeMode: e.target.value as MappingDraft['writeMode'] }))}
              disabled={readOnly}
              invalid={hasIssue('writeMode')}
            >
              <option value="upsert">upsert (insert or update)</option>
              <option value="insert">insert only</option>
              <option value="update">update only</option>
            </MiniSelect>
          </Labeled>
          <p className="mt-1 text-[11px] text-slate-500">{writeModeHelp[draft.writeMode]}</p>
        </div>
        <div className="min-w-0">
          <div className="flex flex-wrap items-end gap-2">
            <Labeled label="Duplicates">
              <MiniSelect
                value={draft.duplicatePolicy.mode}
                onChange={(e) => update((d) => ({ ...d, duplicatePolicy: { ...d.duplicatePolicy, mode: e.target.value as MappingDraft['duplicatePolicy']['mode'] } }))}
                disabled={readOnly}
                invalid={hasIssue('duplicatePolicy') && !hasIssue('duplicatePolicy.orderBy')}
              >
                <option value="error">report as errors</option>
                <option value="first_wins">first wins</option>
                <option value="last_wins">last wins</option>
              </MiniSelect>
            </Labeled>
            {draft.duplicatePolicy.mode === 'last_wins' && (
              <Labeled label="Order by">
                <ColumnPicker
                  columns={sourceTable.columns}
                  value={draft.duplicatePolicy.orderBy}
                  onChange={(orderBy) => update((d) => ({ ...d, duplicatePolicy: { ...d.duplicatePolicy, orderBy } }))}
                  disabled={readOnly}
                  invalid={hasIssue('duplicatePolicy.orderBy')}
                  emptyLabel="— choose —"
                  className="max-w-40 font-mono"
                />
              </Labeled>
            )}
          </div>
          <p className="mt-1 text-[11px] text-slate-500">{duplicateHelp[draft.duplicatePolicy.mode]}</p>
        </div>
      </div>

      <div className="border-t border-slate-100 px-4 py-3">
        <div className="flex items-center gap-3">
          <h3 className="text-xs font-semibold text-slate-700">Source filters</h3>
          <span className="text-[11px] text-slate-500">
            {draft.source.filter.length === 0 ? 'none: every source row is migrated' : 'a row is migrated only when all filters match'}
          </span>
          {!readOnly && (
            <button
              type="button"
              onClick={() =>
                update((d) => ({
                  ...d,
                  source: { ...d.source, filter: [...d.source.filter, { id: uid(), column: sourceTable.columns[0]?.name ?? '', op: 'eq', value: { text: '', kind: 'auto' } }] },
                }))
              }
              className="ml-auto text-xs font-medium text-indigo-700 hover:underline"
            >
              + Add filter
            </button>
          )}
        </div>
        {draft.source.filter.length > 0 && (
          <ol aria-label="Source filters" className="mt-2 space-y-1.5">
            {draft.source.filter.map((filter, index) => {
              const n = index + 1;
              const needsValue = filter.op !== 'is_null' && filter.op !== 'not_null';
              const setFilter = (change: Partial<typeof filter>) =>
                update((d) => ({ ...d, source: { ...d.source, filter: d.source.filter.map((f) => (f.id === filter.id ? { ...f, ...change } : f)) } }));
              return (
                <li key={filter.id} className="flex flex-wrap items-end gap-2">
                  <span className="pb-1 text-[11px] text-slate-400">{n === 1 ? 'where' : 'and'}</span>
                  <ColumnPicker
                    label={`Filter ${n} column`}
                    columns={sourceTable.columns}
                    value={filter.column}
                    onChange={(column) => setFilter({ column })}
                    disabled={readOnly}
                    invalid={hasIssue(`source.filter.${index}.column`)}
                    missingLabel={(column) => column || '— choose —'}
                    className="font-mono"
                  />
                  <MiniSelect aria-label={`Filter ${n} operator`} value={filter.op} onChange={(e) => setFilter({ op: e.target.value as FilterOp })} disabled={readOnly}>
                    {filterOps.map((op) => (
                      <option key={op} value={op}>
                        {filterOpLabels[op]}
                      </option>
                    ))}
                  </MiniSelect>
                  {needsValue && (
                    <MiniInput
                      aria-label={`Filter ${n} value`}
                      value={filter.value.text}
                      onChange={(e) => setFilter({ value: { ...filter.value, text: e.target.value } })}
                      placeholder={filter.op === 'like' ? '%pattern%' : 'value'}
                      disabled={readOnly}
                      invalid={hasIssue(`source.filter.${index}.value`)}
                      className="w-40"
                    />
                  )}
                  {!readOnly && (
                    <IconButton label={`Remove filter ${n}`} tone="danger" onClick={() => update((d) => ({ ...d, source: { ...d.source, filter: d.source.filter.filter((f) => f.id !== filter.id) } }))}>
                      ×
                    </IconButton>
                  )}
                  <span className="pb-1 font-mono text-[10px] text-slate-400">{sourceColumn(filter.column)?.dataType}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </section>
  );
}

function KeyColumns({
  side,
  columns,
  primaryKey,
  value,
  readOnly,
  invalid,
  help,
  onChange,
}: {
  side: 'source' | 'target';
  columns: readonly ColumnInfo[];
  primaryKey: string[];
  value: string[];
  readOnly: boolean;
  invalid: boolean;
  help: string;
  onChange: (key: string[]) => void;
}) {
  const label = side === 'source' ? 'Source key' : 'Target key';
  const isPrimaryKey = primaryKey.length > 0 && primaryKey.length === value.length && primaryKey.every((c, i) => value[i] === c);
  return (
    <div role="group" aria-label={label}>
      <div className="flex items-center gap-2 text-[11px] font-medium text-slate-500">
        {label}
        {isPrimaryKey && <span className="rounded bg-indigo-50 px-1 text-[10px] text-indigo-700">primary key</span>}
        {!isPrimaryKey && primaryKey.length > 0 && !readOnly && (
          <button type="button" onClick={() => onChange([...primaryKey])} className="text-[10px] font-medium text-indigo-700 hover:underline">
            use primary key ({primaryKey.join(', ')})
          </button>
        )}
      </div>
      <div className={`mt-0.5 flex min-h-7 flex-wrap items-center gap-1 rounded border px-1 py-0.5 ${invalid ? 'border-red-400 bg-red-50' : 'border-slate-200'}`}>
        {value.length === 0 && <span className="px-1 text-[11px] text-slate-400">no key column</span>}
        {value.map((column) => (
          <span key={column} className="inline-flex items-center rounded bg-slate-100 pl-1.5 font-mono text-[11px] text-slate-800">
            {column}
            {!readOnly && (
              <IconButton label={`Remove ${column} from ${side} key`} tone="danger" onClick={() => onChange(value.filter((c) => c !== column))}>
                ×
              </IconButton>
            )}
          </span>
        ))}
        {!readOnly && (
          <ColumnPicker
            bare
            label={`Add ${side} key column`}
            columns={columns}
            exclude={value}
            value=""
            emptyLabel="+ column…"
            onChange={(column) => {
              if (column) onChange([...value, column]);
            }}
            className="min-w-0 flex-1 bg-transparent py-0.5 font-mono text-[11px] text-slate-500 focus:outline-none"
          />
        )}
      </div>
      <p className="mt-1 text-[11px] text-slate-500">{help}</p>
    </div>
  );
}
