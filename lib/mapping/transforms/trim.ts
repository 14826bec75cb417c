/** Non-text values pass through untouched: trimming a number is never what anyone meant to fail on. */
export function trim(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}
