/** A transform with its parameters already bound and pre-compiled: the per-row hot path. */
export type TransformFn = (value: unknown) => unknown;
