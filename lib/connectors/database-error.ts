/**
 * A query failure with the database's own message and the structured fields the engine
 * uses to say which field failed. Drivers put these in different places (pg has `column`
 * and `constraint`; mysql2 only has text), so each database's wrap-error.ts normalizes its
 * driver's errors into this one.
 */
export class DatabaseQueryError extends Error {
  /** SQLSTATE for PostgreSQL ("23505"), symbolic code for MySQL ("ER_DUP_ENTRY"). */
  readonly code?: string;
  readonly errno?: number;
  readonly sqlState?: string;
  readonly detail?: string;
  readonly column?: string;
  readonly constraint?: string;
  readonly table?: string;

  constructor(
    message: string,
    fields: Omit<Partial<DatabaseQueryError>, 'message' | 'name' | 'stack' | 'cause'>,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'DatabaseQueryError';
    Object.assign(this, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)));
  }
}

/** A driver's field as text, or undefined when it is missing or empty. */
export const nonEmptyText = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** describeTable of a table that is not there: a code the job classifier reads, not a message to match. */
export class TableNotFoundError extends Error {
  readonly code = 'table_not_found';
  constructor(table: string, schema: string) {
    super(`Table "${table}" not found in schema "${schema}"`);
    this.name = 'TableNotFoundError';
  }
}
