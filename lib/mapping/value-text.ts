/**
 * Text form of a scalar for transforms that work on text (regex, split, concat, phone…).
 * Returns null for null/undefined and for values that have no sensible text form
 * (binary), so callers can decide whether that is an error or a pass-through.
 */
export function toText(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (value instanceof Uint8Array) return null;
      try {
        return JSON.stringify(value) ?? null;
      } catch {
        return null;
      }
    default:
      return null;
  }
}

/** Null, undefined, or a string with nothing but whitespace. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
