'use client';
import type { ColumnInfo } from '@/lib/connectors/connector';
import { IconButton, Labeled, MiniInput, MiniSelect, ScalarInput } from './controls';
import { ParseDateParams } from './parse-date-params';
import { uid, type DraftField, type DraftTransform, type DraftTransformOf } from './mapping-draft';

export interface TransformParamsProps<T extends DraftTransform = DraftTransform> {
  transform: T;
  onChange: (next: T) => void;
  field: DraftField;
  target: ColumnInfo | undefined;
  /** The source table's columns (phone's country column is one). */
  sourceColumns: readonly ColumnInfo[];
  readOnly: boolean;
  /** Whether an issue points at this parameter ("format", "formats.1", "map"…). */
  invalid: (param: string) => boolean;
  /** Prefix for ids of datalists, unique per transform. */
  idPrefix: string;
}

export function TransformParams(props: TransformParamsProps) {
  const { transform } = props;
  switch (transform.op) {
    case 'default':
    case 'constant':
      return <ValueParams {...(props as TransformParamsProps<DraftTransformOf<'default' | 'constant'>>)} />;
    case 'cast':
      return <CastParams {...(props as TransformParamsProps<DraftTransformOf<'cast'>>)} />;
    case 'parse_date':
      return <ParseDateParams {...(props as TransformParamsProps<DraftTransformOf<'parse_date'>>)} />;
    case 'phone_e164':
      return <PhoneParams {...(props as TransformParamsProps<DraftTransformOf<'phone_e164'>>)} />;
    case 'concat':
      return <ConcatParams {...(props as TransformParamsProps<DraftTransformOf<'concat'>>)} />;
    case 'split':
      return <SplitParams {...(props as TransformParamsProps<DraftTransformOf<'split'>>)} />;
    case 'regex_replace':
      return <RegexParams {...(props as TransformParamsProps<DraftTransformOf<'regex_replace'>>)} />;
    case 'value_map':
      return <ValueMapParams {...(props as TransformParamsProps<DraftTransformOf<'value_map'>>)} />;
    default:
      return null;
  }
}

function ValueParams({ transform, onChange, target, readOnly, invalid, idPrefix }: TransformParamsProps<DraftTransformOf<'default' | 'constant'>>) {
  const listId = `${idPrefix}-enum`;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <ScalarInput
        label="Value"
        kindLabel="As"
        value={transform.value}
        onChange={(value) => onChange({ ...transform, value })}
        family={target?.family}
        disabled={readOnly}
        invalid={invalid('value')}
        list={target?.enumValues ? listId : undefined}
        className="w-44"
      />
      {target?.enumValues && <EnumDatalist id={listId} values={target.enumValues} />}
    </div>
  );
}

function CastParams({ transform, onChange, readOnly, invalid }: TransformParamsProps<DraftTransformOf<'cast'>>) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Labeled label="Cast to">
        <MiniSelect value={transform.to} onChange={(e) => onChange({ ...transform, to: e.target.value, scale: e.target.value === 'decimal' ? transform.scale : '' })} disabled={readOnly} invalid={invalid('to')}>
          <option value="integer">integer</option>
          <option value="decimal">decimal</option>
          <option value="boolean">boolean</option>
          <option value="text">text</option>
        </MiniSelect>
      </Labeled>
      {transform.to === 'decimal' && (
        <Labeled label="Scale">
          <MiniInput
            type="number"
            min={0}
            max={30}
            value={transform.scale}
            placeholder="keep"
            onChange={(e) => onChange({ ...transform, scale: e.target.value })}
            disabled={readOnly}
            invalid={invalid('scale')}
            className="w-20"
          />
        </Labeled>
      )}
    </div>
  );
}

function PhoneParams({ transform, onChange, sourceColumns, readOnly, invalid }: TransformParamsProps<DraftTransformOf<'phone_e164'>>) {
  const known = transform.countryColumn === '' || sourceColumns.some((c) => c.name === transform.countryColumn);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Labeled label="Country from column">
        <MiniSelect
          value={transform.countryColumn}
          onChange={(e) => onChange({ ...transform, countryColumn: e.target.value })}
          disabled={readOnly}
          invalid={invalid('countryColumn') || !known}
          className="w-36 font-mono"
        >
          <option value="">(none)</option>
          {!known && <option value={transform.countryColumn}>{transform.countryColumn} (missing in source)</option>}
          {sourceColumns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </MiniSelect>
      </Labeled>
      <Labeled label="Default country">
        <MiniInput
          value={transform.defaultCountry}
          placeholder="US"
          maxLength={2}
          onChange={(e) => onChange({ ...transform, defaultCountry: e.target.value.toUpperCase() })}
          disabled={readOnly}
          invalid={invalid('defaultCountry')}
          className="w-16 font-mono uppercase"
        />
      </Labeled>
      <p className="mb-1 text-[11px] text-slate-500">
        {transform.countryColumn
          ? `Numbers without +country code are read as numbers of the row’s ${transform.countryColumn} (two letters, e.g. DE); the default country when it is empty.`
          : 'Used for numbers written without +country code (two letters, e.g. US, DE, GB).'}
      </p>
    </div>
  );
}

function ConcatParams({ transform, onChange, field, readOnly, invalid }: TransformParamsProps<DraftTransformOf<'concat'>>) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Labeled label="Separator">
        <MiniInput
          value={transform.separator}
          onChange={(e) => onChange({ ...transform, separator: e.target.value })}
          disabled={readOnly}
          invalid={invalid('separator')}
          className="w-20 font-mono"
          placeholder="(none)"
        />
      </Labeled>
      <p className="mb-1 text-[11px] text-slate-500">
        {field.sources.length === 0
          ? 'Joins the field’s sources: choose them above.'
          : `Joins ${field.sources.join(` + ${JSON.stringify(transform.separator)} + `)}${field.sources.length < 2 ? ' (add more sources above)' : ''}; nulls and empty values are skipped.`}
      </p>
    </div>
  );
}

function SplitParams({ transform, onChange, readOnly, invalid }: TransformParamsProps<DraftTransformOf<'split'>>) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Labeled label="Separator">
        <MiniInput value={transform.separator} onChange={(e) => onChange({ ...transform, separator: e.target.value })} disabled={readOnly} invalid={invalid('separator')} className="w-20 font-mono" />
      </Labeled>
      <Labeled label="Keep">
        <MiniSelect value={transform.list ? 'list' : 'part'} onChange={(e) => onChange({ ...transform, list: e.target.value === 'list' })} disabled={readOnly}>
          <option value="part">one part</option>
          <option value="list">all parts (a list)</option>
        </MiniSelect>
      </Labeled>
      {!transform.list && (
        <Labeled label="Index">
          <MiniInput type="number" value={transform.index} onChange={(e) => onChange({ ...transform, index: e.target.value })} disabled={readOnly} invalid={invalid('index')} className="w-20" />
        </Labeled>
      )}
      <label className="mb-0.5 flex items-center gap-1 text-xs text-slate-700">
        <input type="checkbox" checked={transform.trim} onChange={(e) => onChange({ ...transform, trim: e.target.checked })} disabled={readOnly} />
        Trim parts
      </label>
      <label className="mb-0.5 flex items-center gap-1 text-xs text-slate-700">
        <input type="checkbox" checked={transform.dropEmpty} onChange={(e) => onChange({ ...transform, dropEmpty: e.target.checked })} disabled={readOnly} />
        Drop empty parts
      </label>
      <p className="mb-1 text-[11px] text-slate-500">
        {transform.list ? 'Every part, in order: fills an array column (a SET, "a;b;c" tags).' : '0 = first part, 1 = second, -1 = last.'}
      </p>
    </div>
  );
}

function RegexParams({ transform, onChange, readOnly, invalid }: TransformParamsProps<DraftTransformOf<'regex_replace'>>) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Labeled label="Pattern">
        <MiniInput value={transform.pattern} placeholder="[^0-9]" onChange={(e) => onChange({ ...transform, pattern: e.target.value })} disabled={readOnly} invalid={invalid('pattern')} className="w-48 font-mono" />
      </Labeled>
      <Labeled label="Flags">
        <MiniInput value={transform.flags} placeholder="g" onChange={(e) => onChange({ ...transform, flags: e.target.value })} disabled={readOnly} invalid={invalid('flags')} className="w-14 font-mono" />
      </Labeled>
      <Labeled label="Replacement">
        <MiniInput value={transform.replacement} placeholder="(empty)" onChange={(e) => onChange({ ...transform, replacement: e.target.value })} disabled={readOnly} invalid={invalid('replacement')} className="w-36 font-mono" />
      </Labeled>
      <p className="mb-1 text-[11px] text-slate-500">
        Groups: <span className="font-mono">$1</span>, <span className="font-mono">$&lt;name&gt;</span>; flag <span className="font-mono">g</span> replaces every match.
      </p>
    </div>
  );
}

function ValueMapParams({ transform, onChange, target, readOnly, invalid, idPrefix }: TransformParamsProps<DraftTransformOf<'value_map'>>) {
  const enumList = `${idPrefix}-enum`;
  const rows = transform.rows;
  const setRow = (id: string, change: Partial<(typeof rows)[number]>) => onChange({ ...transform, rows: rows.map((row) => (row.id === id ? { ...row, ...change } : row)) });
  const counts = new Map<string, number>();
  rows.forEach((row) => counts.set(row.from, (counts.get(row.from) ?? 0) + 1));
  return (
    <div className="space-y-1.5">
      <ul aria-label="Value pairs" className="space-y-1">
        {rows.map((row, index) => (
          <li key={row.id} className="flex items-end gap-1">
            <Labeled label="From">
              <MiniInput
                value={row.from}
                placeholder="legacy value"
                onChange={(e) => setRow(row.id, { from: e.target.value })}
                disabled={readOnly}
                invalid={(counts.get(row.from) ?? 0) > 1 || invalid(`map.${row.from}`)}
                className="w-32 font-mono"
              />
            </Labeled>
            <span aria-hidden className="px-0.5 pb-1 text-xs text-slate-400">
              →
            </span>
            <ScalarInput
              label="To"
              kindLabel="As"
              value={row.to}
              onChange={(to) => setRow(row.id, { to })}
              family={target?.family}
              disabled={readOnly}
              list={target?.enumValues ? enumList : undefined}
              className="w-32 font-mono"
            />
            {!readOnly && (
              <IconButton label={`Remove row ${index + 1}`} tone="danger" onClick={() => onChange({ ...transform, rows: rows.filter((r) => r.id !== row.id) })}>
                ×
              </IconButton>
            )}
          </li>
        ))}
      </ul>
      {target?.enumValues && (
        <>
          <p className="text-[11px] text-slate-500">
            Allowed in <span className="font-mono">{target.name}</span>: {target.enumValues.join(', ')}
          </p>
          <EnumDatalist id={enumList} values={target.enumValues} />
        </>
      )}
      <div className="flex flex-wrap items-end gap-3">
        {!readOnly && (
          <button
            type="button"
            onClick={() => onChange({ ...transform, rows: [...rows, { id: uid(), from: '', to: { text: '', kind: 'auto' } }] })}
            className="mb-0.5 text-xs font-medium text-indigo-700 hover:underline"
          >
            + Add value
          </button>
        )}
        <label className="mb-0.5 flex items-center gap-1 text-xs text-slate-700">
          <input type="checkbox" checked={transform.caseInsensitive} onChange={(e) => onChange({ ...transform, caseInsensitive: e.target.checked })} disabled={readOnly} />
          Ignore case
        </label>
        <label className="mb-0.5 flex items-center gap-1 text-xs text-slate-700">
          <input type="checkbox" checked={transform.trim} onChange={(e) => onChange({ ...transform, trim: e.target.checked })} disabled={readOnly} />
          Trim before lookup
        </label>
        <Labeled label="Otherwise">
          <MiniSelect
            value={transform.otherwise}
            onChange={(e) => onChange({ ...transform, otherwise: e.target.value as typeof transform.otherwise })}
            disabled={readOnly}
            invalid={invalid('otherwise')}
          >
            <option value="error">fail the row</option>
            <option value="default">use a value</option>
            <option value="keep">keep the input</option>
          </MiniSelect>
        </Labeled>
        {transform.otherwise === 'default' && (
          <ScalarInput
            label="Otherwise value"
            kindLabel="Otherwise as"
            value={transform.otherwiseValue}
            onChange={(otherwiseValue) => onChange({ ...transform, otherwiseValue })}
            family={target?.family}
            disabled={readOnly}
            invalid={invalid('otherwise.value')}
            list={target?.enumValues ? enumList : undefined}
            className="w-32 font-mono"
          />
        )}
      </div>
    </div>
  );
}

function EnumDatalist({ id, values }: { id: string; values: string[] }) {
  return (
    <datalist id={id}>
      {values.map((value) => (
        <option key={value} value={value} />
      ))}
    </datalist>
  );
}
