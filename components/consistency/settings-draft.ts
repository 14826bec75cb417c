import type { ColumnNormalization, MappingConsistencyView } from '@/lib/schemas/consistency';
import type { ColumnNormalizationInput, VerifySettingsInput } from '@/hooks/use-consistency';

/** One column's normalization as the form holds it: numbers as typed text. */
export interface ColumnDraft {
  exclude: boolean;
  tolerance: string;
  timestampPrecision: '' | 's' | 'ms' | 'us';
  decimalScale: string;
  trim: boolean;
  emptyAsNull: boolean;
  caseInsensitive: boolean;
}

export interface SettingsDraft {
  columns: Record<string, ColumnDraft>;
  rangeRows: string;
  autoVerify: boolean;
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function columnDraft(n: ColumnNormalization): ColumnDraft {
  return {
    exclude: n.exclude,
    tolerance: text(n.tolerance),
    timestampPrecision: n.timestampPrecision ?? '',
    decimalScale: text(n.decimalScale),
    trim: !!n.trim,
    emptyAsNull: !!n.emptyAsNull,
    caseInsensitive: !!n.caseInsensitive,
  };
}

export function settingsDraft(view: MappingConsistencyView): SettingsDraft {
  return {
    columns: Object.fromEntries(view.columns.map((c) => [c.name, columnDraft(c.normalization)])),
    rangeRows: String(view.settings.rangeRows),
    autoVerify: view.settings.autoVerify,
  };
}

/** Typed text → a number when it is one; otherwise the text itself, for the server to name. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

function toNormalization(d: ColumnDraft): ColumnNormalizationInput {
  return {
    exclude: d.exclude,
    tolerance: numberOrText(d.tolerance),
    timestampPrecision: d.timestampPrecision || undefined,
    decimalScale: numberOrText(d.decimalScale),
    trim: d.trim,
    emptyAsNull: d.emptyAsNull,
    caseInsensitive: d.caseInsensitive,
  };
}

/**
 * The request body. Columns keep following their type's defaults unless they were saved
 * before or the user changed them here, so a later type change still picks its defaults.
 */
export function settingsRequest(view: MappingConsistencyView, draft: SettingsDraft): VerifySettingsInput {
  const initial = settingsDraft(view).columns;
  const columns = Object.fromEntries(
    Object.entries(draft.columns)
      .filter(([name, d]) => name in view.settings.columns || JSON.stringify(d) !== JSON.stringify(initial[name]))
      .map(([name, d]) => [name, toNormalization(d)]),
  );
  return { columns, rangeRows: numberOrText(draft.rangeRows) ?? '', autoVerify: draft.autoVerify };
}
