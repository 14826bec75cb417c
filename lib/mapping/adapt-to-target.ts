import type { ColumnInfo } from '../connectors/connector';
import { bitLength, isVaryingBit } from '../connectors/type-family';
import type { FieldMapping } from '../schemas/mapping-spec';
import { inferFieldOutput } from './infer-field-output';
import { getZone, isUtcZone, wallTextToInstantText } from './zoned-time';

/**
 * The last step of a field whose values reach the target as the source column holds them:
 * the few places where the two databases spell the same value differently, so a plain copy
 * writes what the source means.
 *
 * - A timestamp without zone (MySQL DATETIME, PostgreSQL timestamp) into a timestamp with
 *   zone: its wall time is read in the source connection's zone (ColumnInfo.timeZone) and
 *   written as the instant; in UTC (the default) the text is already that instant.
 * - MySQL BIT(n), read as bytes, into a PostgreSQL bit column: its n bits ('00000101').
 * - MySQL BIT(1), read as one byte, into a boolean: false / true.
 * - A MySQL SET ('red,blue') into an array: its members (['red', 'blue']; '' is none).
 *
 * Values of any other shape pass through, so the column check reports them as before.
 */
export function compileTargetAdapter(
  field: FieldMapping,
  sourceColumns: ReadonlyMap<string, ColumnInfo>,
  target: ColumnInfo,
): ((value: unknown) => unknown) | null {
  const source = inferFieldOutput(field, sourceColumns).sourceColumn;
  if (target.family === 'boolean') return byteAsBoolean;
  if (target.family === 'bit') return bitsFor(source, target);
  if (source === null) return null;
  if (source.family === 'timestamp' && target.family === 'timestamptz' && source.timeZone && !isUtcZone(source.timeZone)) {
    const zone = getZone(source.timeZone);
    return (value) => (typeof value === 'string' ? (wallTextToInstantText(zone, value) ?? value) : value);
  }
  if (source.family === 'set' && target.family === 'array') return setMembers;
  return null;
}

function byteAsBoolean(value: unknown): unknown {
  if (value instanceof Uint8Array && value.length === 1 && value[0] <= 1) return value[0] === 1;
  return value;
}

function setMembers(value: unknown): unknown {
  return typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value;
}

/** Bytes as bits, most significant first: a BIT(n) column's value is its last n bits. */
export function bitsOfBytes(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return bits;
}

function bitsFor(source: ColumnInfo | null, target: ColumnInfo): (value: unknown) => unknown {
  const declared = (source && bitLength(source.dataType)) ?? (isVaryingBit(target.dataType) ? null : bitLength(target.dataType));
  return (value) => {
    if (!(value instanceof Uint8Array)) return value;
    const bits = bitsOfBytes(value);
    if (declared === null || declared >= bits.length) return declared === null ? bits : bits.padStart(declared, '0');
    // Bytes hold whole octets: the bits above the declared length are zero in a BIT(n) value.
    const extra = bits.length - declared;
    return bits.slice(0, extra).includes('1') ? bits : bits.slice(extra);
  };
}
