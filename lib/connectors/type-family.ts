/**
 * Portable column type families used by mapping checks and transforms.
 *
 * In a file of its own so that connector.ts (which re-exports it) and canonical-column.ts
 * both depend on it without depending on each other.
 */
export type TypeFamily =
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'text'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'interval'
  | 'json'
  | 'uuid'
  | 'binary'
  | 'bit'
  | 'enum'
  /** MySQL/MariaDB SET: a comma-separated list of members (enumValues). */
  | 'set'
  /** PostgreSQL arrays ("text[]"); the element type is in the data type (arrayElementFamily). */
  | 'array'
  | 'other';

/** PostgreSQL element type names as format_type spells them, by family. */
const ELEMENT_FAMILIES: [RegExp, TypeFamily][] = [
  [/^(smallint|integer|bigint)$/, 'integer'],
  [/^numeric\b/, 'decimal'],
  [/^(real|double precision)$/, 'float'],
  [/^boolean$/, 'boolean'],
  [/^(text|character varying|character|citext|name)\b/, 'text'],
  [/^date$/, 'date'],
  [/^timestamp(\(\d\))? without time zone$/, 'timestamp'],
  [/^timestamp(\(\d\))? with time zone$/, 'timestamptz'],
  [/^time(\(\d\))? with(out)? time zone$/, 'time'],
  [/^interval\b/, 'interval'],
  [/^jsonb?$/, 'json'],
  [/^uuid$/, 'uuid'],
  [/^bytea$/, 'binary'],
  [/^bit( varying)?\b/, 'bit'],
];

/**
 * The family of an array column's elements, from its data type ("timestamp(3) with time
 * zone[]" → timestamptz); 'other' for element types it does not know (enums, domains).
 */
export function arrayElementFamily(dataType: string): TypeFamily {
  const element = dataType.replace(/(\[\])+$/, '').trim().toLowerCase();
  return ELEMENT_FAMILIES.find(([pattern]) => pattern.test(element))?.[1] ?? 'other';
}

/** The element data type of an array type ("numeric(10,2)[]" → "numeric(10,2)"). */
export function arrayElementType(dataType: string): string {
  return dataType.replace(/(\[\])+$/, '').trim();
}

/** The declared length of a bit column ("bit(8)", "bit varying(12)"); null when it has none. */
export function bitLength(dataType: string): number | null {
  const match = /^bit(?: varying)?\((\d+)\)/i.exec(dataType.trim());
  return match ? Number(match[1]) : null;
}

/** PostgreSQL "bit varying" and its alias varbit: bit strings of any length up to the declared one. */
export const isVaryingBit = (dataType: string): boolean => /^(bit varying|varbit)\b/i.test(dataType.trim());
