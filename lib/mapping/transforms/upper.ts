/** Locale-independent on purpose: results must not depend on the worker's or browser's locale. */
export function upper(value: unknown): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value;
}
