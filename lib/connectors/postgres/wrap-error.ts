import { DatabaseQueryError, nonEmptyText as str } from '../database-error';

/** A pg error as a DatabaseQueryError: pg has the SQLSTATE and the failing column and constraint as fields. */
export function wrapPgError(err: unknown): Error {
  if (err instanceof DatabaseQueryError || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const e = err as Error & Record<string, unknown>;
  return new DatabaseQueryError(
    err.message,
    {
      code: str(e.code),
      sqlState: str(e.code),
      detail: str(e.detail),
      column: str(e.column),
      constraint: str(e.constraint),
      table: str(e.table),
    },
    err,
  );
}
