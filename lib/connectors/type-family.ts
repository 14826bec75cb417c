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
  | 'json'
  | 'uuid'
  | 'binary'
  | 'enum'
  | 'other';
