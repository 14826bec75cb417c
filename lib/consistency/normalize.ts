import type { ColumnInfo } from '../connectors/connector';
import { decimalFromNumber, formatDecimal, parseDecimalText, roundDecimal } from '../mapping/decimal-text';
import type { ColumnNormalization, VerifySettings } from '../schemas/consistency';

/**
 * Per-column normalization: source values (after the mapping) and target values (as the
 * driver returns them) are brought to one canonical text before they are compared, so
 * that representation differences (int8 as text, numeric scale, timestamp text with or
 * without offset) never count as differences while real ones always do.
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

/** The fractional digits a timestamp column stores, from its native type. */
function storedFraction(column: ColumnInfo): number | null {
  const match = /\((\d)\)/.exec(column.dataType);
  if (match) return Number(match[1]);
  const type = column.dataType.toLowerCase();
  // MySQL/MariaDB datetime/timestamp without digits keep whole seconds; PostgreSQL keeps µs.
  if (/^(datetime|timestamp)$/.test(type)) return 0;
  return null;
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

const TIMESTAMP =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?)?$/i;
const unitMicros = { s: 1_000_000n, ms: 1_000n, us: 1n } as const;

/** Timestamp text, Date or epoch → microseconds since the epoch in UTC, truncated to the precision. */
export function timestampMicros(value: unknown, precision: 's' | 'ms' | 'us'): string | null {
  let micros: bigint;
  if (value instanceof Date) micros = BigInt(value.getTime()) * 1000n;
  else if (typeof value === 'number') micros = BigInt(Math.trunc(value)) * 1000n;
  else {
    const match = TIMESTAMP.exec(String(value).trim());
    if (!match) return null;
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zulu, sign, oh, om = '0', os = '0'] = match;
    const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
    micros = BigInt(seconds) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
    if (!zulu && sign) {
      const offset = BigInt(Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1_000_000n;
      micros = sign === '+' ? micros - offset : micros + offset;
    }
  }
  const unit = unitMicros[precision];
  // Truncate toward minus infinity, so instants before 1970 truncate like later ones.
  const truncated = micros >= 0n ? (micros / unit) * unit : -((-micros + unit - 1n) / unit) * unit;
  return truncated.toString();
}

function decimalText(value: unknown, scale: number | undefined): string | null {
  const parts = typeof value === 'number' ? decimalFromNumber(value) : parseDecimalText(String(value));
  if (!parts) return null;
  return formatDecimal(scale === undefined ? parts : roundDecimal(parts, scale));
}

function canonicalJson(value: unknown): string {
  const parsed = typeof value === 'string' ? safeParse(value) : value;
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(parsed));
}
function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function booleanText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value).trim().toLowerCase();
  if (['1', 't', 'true', 'y', 'yes'].includes(text)) return 'true';
  if (['0', 'f', 'false', 'n', 'no'].includes(text)) return 'false';
  return text;
}

/** Builds the comparer of one target column. Values that cannot be parsed compare as their text. */
export function compileComparer(column: ColumnInfo, normalization: ColumnNormalization): ColumnComparer {
  const n = normalization;
  const family = column.family;
  const text = (value: unknown): string => {
    let out = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('hex') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (n.trim) out = out.trim();
    if (n.caseInsensitive || family === 'uuid') out = out.toLowerCase();
    return out;
  };
  const canonical = (value: unknown): string => {
    switch (family) {
      case 'integer':
        return typeof value === 'boolean' ? (value ? '1' : '0') : (decimalText(value, 0) ?? text(value));
      case 'decimal':
        return decimalText(value, n.decimalScale) ?? text(value);
      case 'float': {
        const number = Number(value);
        return Number.isFinite(number) ? String(number) : text(value);
      }
      case 'boolean':
        return booleanText(value);
      case 'timestamp':
      case 'timestamptz':
        return timestampMicros(value, n.timestampPrecision ?? 'us') ?? text(value);
      case 'date':
        return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim().slice(0, 10);
      case 'json':
        return canonicalJson(value);
      case 'binary':
        return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('hex') : text(value);
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
    // float4 columns hand back a rounded value of the float written: a relative 1e-6 is the
    // precision a real column keeps, so that alone is not a difference.
    if (family === 'float' && /real|float4|^float$|float\(\d\)/i.test(column.dataType)) return Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
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
