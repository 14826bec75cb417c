import type { KeyTuple, KeyValue, Row } from '../connectors/connector';

/** A driver value as a JSON-safe key part (bigint and Date included). */
export function toKeyValue(value: unknown): KeyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

export function keyOf(row: Row, keyColumns: string[]): KeyTuple {
  return keyColumns.map((column) => toKeyValue(row[column]));
}

/** Stable text of a key tuple: error rows and duplicate claims are unique on it. */
export const keyText = (key: KeyTuple): string =>
  // The usual integer key, without JSON.stringify (String gives the same digits for finite numbers).
  key.length === 1 && typeof key[0] === 'number' && Number.isFinite(key[0]) ? `[${key[0]}]` : JSON.stringify(key);

export const hasNullPart = (key: KeyTuple) => key.some((part) => part === null);
