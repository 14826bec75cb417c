/**
 * Why a single value could not be transformed. The code is stable (stored on error rows,
 * grouped in the UI); the message is for people and always names the offending value.
 */
export type TransformErrorCode =
  | 'invalid_email'
  | 'invalid_phone'
  | 'unparseable_date'
  | 'unmapped_value'
  | 'invalid_number'
  | 'invalid_boolean'
  | 'invalid_input'
  | 'regex_invalid'
  /** A pattern the linear-time regex engine cannot run (backreference, lookaround). */
  | 'regex_unsupported'
  /** A transform's result would be far larger than its input (regex-replace.ts). */
  | 'output_too_large';

export class TransformError extends Error {
  readonly code: TransformErrorCode;

  constructor(code: TransformErrorCode, message: string) {
    // No stack: these are expected outcomes (one per bad value of a messy table, caught
    // and turned into an error row), and capturing a stack costs more than the transform.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'TransformError';
    this.code = code;
  }
}

const MAX_SHOWN_CHARS = 80;

/**
 * A short, unambiguous rendering of a value for error messages: strings are quoted so
 * that trailing spaces and empty strings are visible; long values are cut at 80 chars
 * because messages end up in tables and toasts.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === null || value === undefined) text = 'null';
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'bigint') text = `${value}`;
  else if (typeof value === 'object') text = safeJson(value);
  else text = String(value);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
