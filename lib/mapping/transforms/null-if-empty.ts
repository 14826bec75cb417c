/** Whitespace-only counts as empty: legacy exports pad missing values with blanks. */
export function nullIfEmpty(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? null : value;
}
