/**
 * A transform with its parameters already bound and pre-compiled: the per-row hot path.
 * `row` is the source row the value came from, in the caller's form (an object or a value
 * array), for the few transforms that read another column of it through a ColumnReader.
 */
export type TransformFn = (value: unknown, row?: unknown) => unknown;

/**
 * How a compiled transform reads another source column of the row it is given (phone_e164's
 * countryColumn): resolved once per column at compile time, then called per row.
 */
export type ColumnReader = (column: string) => (row: unknown) => unknown;
