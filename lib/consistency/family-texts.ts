import type { ColumnInfo } from '../connectors/connector';
import { bitLength, isVaryingBit } from '../connectors/type-family';
import { bitsOfBytes } from '../mapping/adapt-to-target';
import { decimalFromNumber, formatDecimal, parseDecimalText, roundDecimal } from '../mapping/decimal-text';
import { parseInterval, parseTime } from './value-texts';

/**
 * The canonical text of a value per type family, as the row comparison (normalize.ts)
 * compares them: null where the value has another shape (the comparer then compares its
 * text as it is).
 */

/** PostgreSQL spells its types out ("timestamp(3) without time zone", "real"); MySQL does not. */
export const isPostgresType = (dataType: string) => /\b(with|without) time zone\b|^(real|double precision|character( varying)?|numeric|bit varying)\b/.test(dataType);

/** The fractional digits a timestamp or time column stores, from its native type. */
export function storedFraction(column: ColumnInfo): number | null {
  const match = /\((\d)\)/.exec(column.dataType);
  if (match) return Number(match[1]);
  const type = column.dataType.toLowerCase();
  // MySQL/MariaDB datetime/timestamp/time without digits keep whole seconds; PostgreSQL keeps µs.
  if (/^(datetime|timestamp|time)$/.test(type)) return 0;
  return null;
}

// ---- timestamps -----------------------------------------------------------------------------

const TIMESTAMP =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?)?$/i;
const unitMicros = { s: 1_000_000n, ms: 1_000n, us: 1n } as const;
/** PostgreSQL counts timestamps from 2000-01-01 and rounds a column's extra digits half away from it. */
const PG_EPOCH_MICROS = 946_684_800_000_000n;

/** How a column stores fraction digits it has no room for. */
export interface StoredFraction {
  digits: number;
  /** 'round': PostgreSQL (half away from its epoch), 'truncate': MySQL/MariaDB. */
  mode: 'round' | 'truncate';
}

export interface TimestampOptions {
  /** Wall time (a timestamp without zone): a written offset is ignored, as the database ignores it. */
  wall?: boolean;
  stored?: StoredFraction | null;
}

export function storeMicros(micros: bigint, stored: StoredFraction | null | undefined, epoch: bigint): bigint {
  if (!stored || stored.digits >= 6) return micros;
  const scale = 10n ** BigInt(6 - stored.digits);
  if (stored.mode === 'truncate') return micros >= 0n ? (micros / scale) * scale : -((-micros + scale - 1n) / scale) * scale;
  const t = micros - epoch;
  const rounded = t >= 0n ? ((t + scale / 2n) / scale) * scale : -(((-t + scale / 2n) / scale) * scale);
  return rounded + epoch;
}

/**
 * Timestamp text, Date or epoch → microseconds since the epoch (UTC; for `wall`, of the
 * wall time), stored as the column stores it, truncated to the precision.
 */
export function timestampMicros(value: unknown, precision: 's' | 'ms' | 'us', options: TimestampOptions = {}): string | null {
  let micros: bigint;
  if (value instanceof Date) micros = BigInt(value.getTime()) * 1000n;
  else if (typeof value === 'number') micros = BigInt(Math.trunc(value)) * 1000n;
  else {
    const match = TIMESTAMP.exec(String(value).trim());
    if (!match) return null;
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zulu, sign, oh, om = '0', os = '0'] = match;
    const date = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
    date.setUTCFullYear(Number(y));
    if (Number.isNaN(date.getTime())) return null;
    micros = BigInt(date.getTime() / 1000) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
    if (!zulu && sign && !options.wall) {
      const offset = BigInt(Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1_000_000n;
      micros = sign === '+' ? micros - offset : micros + offset;
    }
  }
  micros = storeMicros(micros, options.stored, PG_EPOCH_MICROS);
  const unit = unitMicros[precision];
  // Truncate toward minus infinity, so instants before 1970 truncate like later ones.
  const truncated = micros >= 0n ? (micros / unit) * unit : -((-micros + unit - 1n) / unit) * unit;
  return truncated.toString();
}

// ---- other families -------------------------------------------------------------------------

export function decimalText(value: unknown, scale: number | undefined): string | null {
  const parts = typeof value === 'number' ? decimalFromNumber(value) : typeof value === 'bigint' ? parseDecimalText(value.toString()) : parseDecimalText(String(value));
  if (!parts) return null;
  if (scale !== undefined) return formatDecimal(roundDecimal(parts, scale));
  // No fixed scale: equal values are equal however many trailing zeros they were written with.
  return formatDecimal({ ...parts, fracDigits: parts.fracDigits.replace(/0+$/, '') });
}

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FLOAT_WORDS: Record<string, number> = { nan: Number.NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '-inf': -Infinity };

export function floatOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (FLOAT_TEXT.test(text)) return Number(text);
  return FLOAT_WORDS[text.toLowerCase()] ?? null;
}

export function canonicalJson(value: unknown): string {
  const parsed = typeof value === 'string' ? safeParse(value) : value;
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(parsed)) ?? String(value);
}
function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function booleanText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Uint8Array && value.length === 1) return value[0] === 1 ? 'true' : value[0] === 0 ? 'false' : String(value[0]);
  const text = String(value).trim().toLowerCase();
  if (['1', 't', 'true', 'y', 'yes', 'on'].includes(text)) return 'true';
  if (['0', 'f', 'false', 'n', 'no', 'off'].includes(text)) return 'false';
  return text;
}

export const bytesOf = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/** Bytes as lower-case hex: a Buffer, PostgreSQL's '\x…' text, or any other text as its UTF-8 bytes. */
export function binaryHex(value: unknown): string | null {
  if (value instanceof Uint8Array) return bytesOf(value).toString('hex');
  if (typeof value !== 'string') return null;
  const hex = /^\\x([0-9a-f]*)$/i.exec(value);
  return hex ? hex[1].toLowerCase() : Buffer.from(value, 'utf8').toString('hex');
}

export function uuidText(value: unknown): string | null {
  if (value instanceof Uint8Array && value.length === 16) return formatUuid(bytesOf(value).toString('hex'));
  if (typeof value !== 'string') return null;
  const hex = value.trim().replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? formatUuid(hex) : null;
}
const formatUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** A bit string of the column's length: PostgreSQL text '0101', or MySQL BIT bytes / numbers. */
export function bitText(column: ColumnInfo): (value: unknown) => string | null {
  const declared = isVaryingBit(column.dataType) ? null : bitLength(column.dataType);
  const fit = (bits: string) => {
    if (declared === null || bits.length === declared) return bits;
    if (bits.length < declared) return bits.padStart(declared, '0');
    return bits.slice(0, bits.length - declared).includes('1') ? bits : bits.slice(bits.length - declared);
  };
  return (value) => {
    if (typeof value === 'string' && /^[01]*$/.test(value)) return value;
    if (value instanceof Uint8Array) return fit(bitsOfBytes(value));
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return fit(value.toString(2));
    return null;
  };
}

export function timeText(column: ColumnInfo): (value: unknown) => string | null {
  const digits = storedFraction(column);
  const stored: StoredFraction | null = digits === null ? null : { digits, mode: isPostgresType(column.dataType) ? 'round' : 'truncate' };
  return (value) => {
    const time = typeof value === 'string' ? parseTime(value) : null;
    if (time === null) return null;
    const micros = storeMicros(time.micros, stored, 0n);
    return time.offsetSeconds === null ? micros.toString() : `${micros}${time.offsetSeconds >= 0 ? '+' : ''}${time.offsetSeconds}`;
  };
}

export function intervalText(value: unknown): string | null {
  const interval = parseInterval(value);
  return interval === null ? null : `${interval.months}|${interval.days}|${interval.micros}`;
}

/** MySQL SET members in the column's order, each once: 'b,a' and ['a', 'b'] are the same set. */
export function setText(column: ColumnInfo): (value: unknown) => string | null {
  const order = new Map((column.enumValues ?? []).map((member, i) => [member, i]));
  return (value) => {
    const members = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? (value === '' ? [] : value.split(',')) : null;
    if (members === null) return null;
    return [...new Set(members)].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : 1)).join(',');
  };
}
