import type { ColumnInfo } from '../connectors/connector';
import { arrayElementFamily, arrayElementType } from '../connectors/type-family';
import type { ColumnNormalization, VerifySettings } from '../schemas/consistency';
import {
  binaryHex,
  bitText,
  booleanText,
  bytesOf,
  canonicalJson,
  decimalText,
  floatOf,
  intervalText,
  isPostgresType,
  setText,
  type StoredFraction,
  storedFraction,
  timeText,
  timestampMicros,
  uuidText,
} from './family-texts';
import { type ArrayItem, parseArrayLiteral } from './value-texts';

export { timestampMicros } from './family-texts';

/**
 * Per-column normalization: source values (after the mapping) and target values (as the
 * driver returns them) are brought to one canonical text per type family before they are
 * compared, so that representation differences (int8 as text, numeric scale, timestamp
 * text with or without offset, an array as '{a,b}' or a list, JSON key order, bytes as
 * Buffer or '\x…' text) never count as differences while real ones always do.
 *
 * Values are first stored as the target column would store them (a PostgreSQL numeric,
 * timestamp or time rounds extra fraction digits, MySQL truncates them, a real keeps a
 * single-precision float), so a correct copy of a more precise source matches.
 *
 * NULL equals NULL; NULL and '' differ unless `emptyAsNull`.
 */

export type Normalized = string | null;

export interface ColumnComparer {
  column: string;
  normalization: ColumnNormalization;
  normalize: (value: unknown) => Normalized;
  equal: (a: Normalized, b: Normalized) => boolean;
}

const precisionFor = (digits: number | null): 's' | 'ms' | 'us' => (digits === null ? 'us' : digits === 0 ? 's' : digits <= 3 ? 'ms' : 'us');

/** The normalization that applies to a column: the saved one, defaulted from its type. */
export function effectiveNormalization(column: ColumnInfo, saved: Partial<ColumnNormalization> | undefined): ColumnNormalization {
  const base: ColumnNormalization = { exclude: false, ...saved };
  if ((column.family === 'timestamp' || column.family === 'timestamptz') && base.timestampPrecision === undefined) {
    base.timestampPrecision = precisionFor(storedFraction(column));
  }
  if (column.family === 'decimal' && base.decimalScale === undefined && column.numericScale !== null) {
    base.decimalScale = column.numericScale;
  }
  return base;
}

/** Elements canonical as the element type's comparer makes them, as JSON of the nested lists. */
function arrayText(column: ColumnInfo, n: ColumnNormalization): (value: unknown) => string | null {
  const elementType = arrayElementType(column.dataType);
  const element: ColumnInfo = { ...column, name: `${column.name}[]`, dataType: elementType, family: arrayElementFamily(column.dataType), enumValues: null };
  if (element.family === 'decimal') {
    const scale = /\(\d+,\s*(\d+)\)/.exec(elementType);
    element.numericScale = scale ? Number(scale[1]) : null;
  }
  const saved: Partial<ColumnNormalization> = { trim: n.trim, caseInsensitive: n.caseInsensitive, timestampPrecision: n.timestampPrecision, decimalScale: n.decimalScale };
  const elementComparer = compileComparer(element, effectiveNormalization(element, saved));
  const canonical = (items: readonly unknown[]): unknown[] => items.map((item) => (Array.isArray(item) ? canonical(item) : elementComparer.normalize(item)));
  return (value) => {
    const items: readonly unknown[] | null = Array.isArray(value) ? value : typeof value === 'string' ? (parseArrayLiteral(value) as ArrayItem[] | null) : null;
    return items === null ? null : JSON.stringify(canonical(items));
  };
}

// ---- the comparer ---------------------------------------------------------------------------

/** Builds the comparer of one target column. Values that cannot be parsed compare as their text. */
export function compileComparer(column: ColumnInfo, normalization: ColumnNormalization): ColumnComparer {
  const n = normalization;
  const family = column.family;
  // PostgreSQL char(n) pads with blanks, which it ignores when comparing: so do we.
  const padded = /^(character|char|bpchar)(\(\d+\))?$/i.test(column.dataType);
  const text = (value: unknown): string => {
    let out = typeof value === 'string' ? value : value instanceof Uint8Array ? bytesOf(value).toString('hex') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (padded) out = out.replace(/ +$/, '');
    if (n.trim) out = out.trim();
    if (n.caseInsensitive) out = out.toLowerCase();
    return out;
  };
  const stored: StoredFraction | null = (() => {
    const digits = storedFraction(column);
    return digits === null ? null : { digits, mode: isPostgresType(column.dataType) ? 'round' : 'truncate' };
  })();
  // PostgreSQL real keeps a single-precision float; MySQL FLOAT is read back with 6 digits.
  const single = family === 'float' && /^real$/i.test(column.dataType);
  const mysqlFloat = family === 'float' && /^float(\(\d+\))?( unsigned)?$/i.test(column.dataType);
  const special: ((value: unknown) => string | null) | null =
    family === 'bit' ? bitText(column) : family === 'time' ? timeText(column) : family === 'set' ? setText(column) : family === 'array' ? arrayText(column, n) : null;

  const canonical = (value: unknown): string => {
    switch (family) {
      case 'integer':
        return typeof value === 'boolean' ? (value ? '1' : '0') : (decimalText(value, 0) ?? text(value));
      case 'decimal':
        return decimalText(value, n.decimalScale) ?? text(value);
      case 'float': {
        const number = floatOf(value);
        if (number === null) return text(value);
        const stored = single ? Math.fround(number) : number;
        return Object.is(stored, -0) ? '0' : String(stored);
      }
      case 'boolean':
        return booleanText(value);
      case 'timestamp':
      case 'timestamptz':
        return timestampMicros(value, n.timestampPrecision ?? 'us', { wall: family === 'timestamp', stored }) ?? text(value);
      case 'date':
        return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim().slice(0, 10);
      case 'json':
        return canonicalJson(value);
      case 'binary':
        return binaryHex(value) ?? text(value);
      case 'uuid':
        return uuidText(value) ?? text(value).toLowerCase();
      case 'interval':
        return intervalText(value) ?? text(value);
      case 'bit':
      case 'time':
      case 'set':
      case 'array':
        return special?.(value) ?? text(value);
      default:
        return text(value);
    }
  };
  const normalize = (value: unknown): Normalized => {
    if (value === null || value === undefined) return null;
    if (n.emptyAsNull && typeof value === 'string' && (n.trim ? value.trim() : value) === '') return null;
    return canonical(value);
  };
  const tolerance = n.tolerance;
  const numeric = ['integer', 'decimal', 'float'].includes(family);
  const equal = (a: Normalized, b: Normalized): boolean => {
    if (a === null || b === null) return a === b;
    if (a === b) return true;
    if (!numeric) return false;
    const x = Number(a);
    const y = Number(b);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (tolerance !== undefined) return Math.abs(x - y) <= tolerance + Number.EPSILON * Math.max(Math.abs(x), Math.abs(y));
    // MySQL hands FLOAT back rounded to 6 significant digits: within that, not a difference.
    if (mysqlFloat) return Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
    return false;
  };
  return { column: column.name, normalization: n, normalize, equal };
}

/** Comparers of the key columns: a key column is never excluded. */
export function compileKeyComparers(columns: ColumnInfo[], keyColumns: string[], settings: Pick<VerifySettings, 'columns'>): ColumnComparer[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  return keyColumns.map((name) => {
    const column = byName.get(name);
    if (!column) throw new Error(`Key column "${name}" is not in the target table`);
    return compileComparer(column, { ...effectiveNormalization(column, settings.columns[name]), exclude: false, tolerance: undefined });
  });
}

/** Comparers for the compared columns (mapped, not excluded), in mapping order. */
export function compileComparers(columns: ColumnInfo[], mapped: string[], settings: Pick<VerifySettings, 'columns'>): ColumnComparer[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  return mapped.flatMap((name) => {
    const column = byName.get(name);
    if (!column) return [];
    const normalization = effectiveNormalization(column, settings.columns[name]);
    return normalization.exclude ? [] : [compileComparer(column, normalization)];
  });
}
