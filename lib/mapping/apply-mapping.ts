import type { ColumnInfo, Row } from '../connectors/connector';
import type { FieldMapping, MappingSpec } from '../schemas/mapping-spec';
import { compileTargetAdapter } from './adapt-to-target';
import type { FieldError } from './field-error';
import { TransformError } from './transform-error';
import { compileTransform, type ColumnReader, type TransformFn } from './transforms/index';
import { withFailurePolicy } from './transforms/on-failure';
import { compileValueCheck, findUnmappedRequired, type ValidateRowOptions, type ValueCheck } from './validate-row';

export type { FieldError } from './field-error';

/**
 * How the mapping validates rows (validate-row.ts), and the source table's columns: with
 * them, values a plain copy takes as they are are written as the target spells them
 * (adapt-to-target.ts: a DATETIME in the connection's zone, MySQL BIT, SET members).
 */
export interface MappingOptions extends Omit<ValidateRowOptions, 'writeMode'> {
  sourceTable?: readonly ColumnInfo[];
  /**
   * Called before each transform step runs, with the field's and the step's index in the
   * spec: a preview stopped by its time budget names the step it was in. Costs a call per
   * step, so the engine leaves it unset.
   */
  trace?: (field: number, step: number) => void;
}

export type MappingResult =
  | { ok: true; values: Record<string, unknown> }
  | { ok: false; errors: FieldError[] };

/** Maps one source row; reports every failing field of the row, not just the first. */
export type CompiledMapping = (row: Row) => MappingResult;

interface CompiledField {
  target: string;
  sources: readonly string[];
  /**
   * Steps applied to each source value separately: with a concat, the steps before it;
   * without, the steps before the first default or constant, after which a null value
   * falls back to the next source ("Then, if null" in the editor).
   */
  perSource: TransformFn[];
  concat: TransformFn | null;
  /** The rest of the chain, on the joined or chosen value. */
  steps: TransformFn[];
  check: ValueCheck | null;
  /**
   * A reference field (FieldMapping.reference): its value is the tuple of its source values
   * as read (null when any is null), which resolve-references.ts swaps for the parent's
   * target id per batch and then checks against the column.
   */
  reference: boolean;
}

/**
 * Compiles a spec once (regexes, value maps, date parsers, column checks) into the
 * per-row function used by previews and the real run alike. With `targetColumns`, the
 * result is also validated against the target table, so a preview reports exactly
 * the errors the run will record.
 *
 * Field semantics: without a concat, each source in turn runs through the chain up to its
 * first default or constant (the cleanup: trim, empty → null, casts …), and the first
 * that is not null then is used: a blank first source falls back to the next, as the
 * editor's "Then, if null" says; the rest of the chain (the default …) runs on that
 * value, or on null when every source is null. With a concat in the chain, the
 * transforms before it run on each source value on its own (e.g. trim each name part),
 * the concat joins them, the rest runs on the joined text. A transform's `onFailure`
 * decides whether a value it cannot convert fails the row, becomes null or is kept.
 *
 * Throws TransformError ('regex_invalid', 'invalid_input') for a spec that did not go
 * through mappingSpecSchema and cannot work.
 */
export function compileMapping(
  spec: MappingSpec,
  targetColumns?: readonly ColumnInfo[],
  { sourceTable, trace, ...options }: MappingOptions = {},
): CompiledMapping {
  const validation: ValidateRowOptions = { ...options, writeMode: spec.writeMode };
  const columnsByName = new Map((targetColumns ?? []).map((column) => [column.name, column]));
  const readColumn: ColumnReader = (column) => (row) => readSource(row as Row, column);
  const sources = sourceTable ? new Map(sourceTable.map((column) => [column.name, column])) : null;
  const fields = spec.fields.map((field, index) =>
    compileField(field, targetColumns === undefined ? null : columnsByName, validation, readColumn, sources, trace && ((step) => trace(index, step))),
  );
  // The same for every row: a required column nothing is mapped to.
  const specErrors: FieldError[] =
    targetColumns === undefined ? [] : findUnmappedRequired(targetColumns, new Set(spec.fields.map((f) => f.target)), validation);

  return (row) => {
    const values: Record<string, unknown> = {};
    let errors: FieldError[] | null = specErrors.length > 0 ? [...specErrors] : null;
    for (const field of fields) {
      let value: unknown;
      try {
        value = runField(field, row);
      } catch (error) {
        (errors ??= []).push(transformFailure(field.target, error));
        continue;
      }
      if (field.check !== null) {
        const problem = field.check(value);
        if (problem !== null) {
          (errors ??= []).push(problem);
          continue;
        }
      }
      values[field.target] = value;
    }
    return errors === null ? { ok: true, values } : { ok: false, errors };
  };
}

/** Outcome of a list mapping that failed: every failing field, as compileMapping reports them. */
export class MappingErrors {
  constructor(readonly errors: FieldError[]) {}
}

/**
 * The copy engine's variant of compileMapping: reads source rows as value arrays (columns
 * in `sourceColumns` order, indexes resolved here once) and returns the target values as
 * one array in spec field order (targetColumnsOf), which is the write row itself — no
 * source object, values record or result wrapper per row. Same fields, checks and errors
 * as compileMapping; a source column missing from `sourceColumns` fails every row with
 * 'missing_source_column', as a missing property does there.
 */
export function compileListMapping(
  spec: MappingSpec,
  sourceColumns: readonly string[],
  targetColumns: readonly ColumnInfo[],
  { sourceTable, ...options }: MappingOptions = {},
): (row: readonly unknown[]) => unknown[] | MappingErrors {
  const validation: ValidateRowOptions = { ...options, writeMode: spec.writeMode };
  const sources = sourceTable ? new Map(sourceTable.map((column) => [column.name, column])) : null;
  const columnsByName = new Map(targetColumns.map((column) => [column.name, column]));
  const readColumn: ColumnReader = (column) => {
    const index = sourceColumns.indexOf(column);
    return (row) => readListSource(row as readonly unknown[], index, column);
  };
  const fields = spec.fields.map((field) => compileField(field, columnsByName, validation, readColumn, sources));
  const indexes = spec.fields.map((field) => field.sources.map((source) => sourceColumns.indexOf(source)));
  const specErrors = findUnmappedRequired(targetColumns, new Set(spec.fields.map((f) => f.target)), validation);
  const count = fields.length;

  return (row) => {
    const values: unknown[] = new Array(count);
    let errors: FieldError[] | null = specErrors.length > 0 ? [...specErrors] : null;
    for (let f = 0; f < count; f++) {
      const field = fields[f];
      let value: unknown;
      try {
        value = runListField(field, indexes[f], row);
      } catch (error) {
        (errors ??= []).push(transformFailure(field.target, error));
        continue;
      }
      if (field.check !== null) {
        const problem = field.check(value);
        if (problem !== null) {
          (errors ??= []).push(problem);
          continue;
        }
      }
      values[f] = value;
    }
    return errors === null ? values : new MappingErrors(errors);
  };
}

function runListField(field: CompiledField, indexes: readonly number[], row: readonly unknown[]): unknown {
  if (field.reference) return referenceTuple(indexes.map((index, i) => readListSource(row, index, field.sources[i])));
  let value: unknown = null;
  if (field.concat !== null) {
    const parts: unknown[] = new Array(indexes.length);
    for (let i = 0; i < indexes.length; i++) {
      let part = readListSource(row, indexes[i], field.sources[i]);
      for (const step of field.perSource) part = step(part, row);
      parts[i] = part;
    }
    value = field.concat(parts, row);
  } else {
    for (let i = 0; i < indexes.length; i++) {
      let candidate = readListSource(row, indexes[i], field.sources[i]);
      for (const step of field.perSource) candidate = step(candidate, row);
      if (candidate !== null && candidate !== undefined) {
        value = candidate;
        break;
      }
    }
  }
  for (const step of field.steps) value = step(value, row);
  return value === undefined ? null : value;
}

function readListSource(row: readonly unknown[], index: number, column: string): unknown {
  if (index < 0) throw new MissingSourceColumn(column);
  const value = row[index];
  return value === undefined ? null : value;
}

function compileField(
  field: FieldMapping,
  columns: ReadonlyMap<string, ColumnInfo> | null,
  validation: ValidateRowOptions,
  readColumn: ColumnReader,
  sourceColumns: ReadonlyMap<string, ColumnInfo> | null,
  trace?: (step: number) => void,
): CompiledField {
  if (field.reference !== undefined) {
    // Resolved per batch (resolve-references.ts), which also runs the column's check.
    return { target: field.target, sources: field.sources, perSource: [], concat: null, steps: [], check: null, reference: true };
  }
  const concatAt = field.transforms.findIndex((transform) => transform.op === 'concat');
  const compiled = field.transforms.map((transform, step): TransformFn => {
    const fn = withFailurePolicy(transform, compileTransform(transform, readColumn));
    if (trace === undefined) return fn;
    return (value, row) => {
      trace(step);
      return fn(value, row);
    };
  });
  // Without a concat: the steps that fill a null (default, constant) wait for the fallback sources.
  const fillAt = field.transforms.findIndex((transform) => transform.op === 'default' || transform.op === 'constant');
  const splitAt = concatAt >= 0 ? concatAt : fillAt >= 0 ? fillAt : compiled.length;
  let check: ValueCheck | null = null;
  let adapt: TransformFn | null = null;
  if (columns !== null) {
    const column = columns.get(field.target);
    check = column === undefined ? unknownColumnCheck(field.target) : compileValueCheck(column, validation);
    if (column !== undefined && sourceColumns !== null) adapt = compileTargetAdapter(field, sourceColumns, column);
  }
  const steps = compiled.slice(concatAt < 0 ? splitAt : concatAt + 1);
  return {
    target: field.target,
    sources: field.sources,
    perSource: compiled.slice(0, splitAt),
    concat: concatAt < 0 ? null : compiled[concatAt],
    steps: adapt === null ? steps : [...steps, adapt],
    check,
    reference: false,
  };
}

/** A reference field's unresolved value: its source values, or null when any is null (no parent). */
function referenceTuple(values: unknown[]): unknown[] | null {
  for (const value of values) if (value === null || value === undefined) return null;
  return values;
}

function runField(field: CompiledField, row: Row): unknown {
  if (field.reference) return referenceTuple(field.sources.map((source) => readSource(row, source)));
  let value: unknown = null;
  if (field.concat !== null) {
    const parts: unknown[] = new Array(field.sources.length);
    for (let i = 0; i < field.sources.length; i++) {
      let part = readSource(row, field.sources[i]);
      for (const step of field.perSource) part = step(part, row);
      parts[i] = part;
    }
    value = field.concat(parts, row);
  } else {
    for (const source of field.sources) {
      let candidate = readSource(row, source);
      for (const step of field.perSource) candidate = step(candidate, row);
      if (candidate !== null && candidate !== undefined) {
        value = candidate;
        break;
      }
    }
  }
  for (const step of field.steps) value = step(value, row);
  return value === undefined ? null : value;
}

/** A column absent from the row (not merely null) means the reader and spec disagree. */
function readSource(row: Row, column: string): unknown {
  const value = row[column];
  if (value !== undefined) return value;
  if (!(column in row)) throw new MissingSourceColumn(column);
  return null;
}

class MissingSourceColumn extends Error {
  constructor(readonly column: string) {
    super(`the source row has no column "${column}"`);
  }
}

function transformFailure(field: string, error: unknown): FieldError {
  if (error instanceof TransformError) return { stage: 'transform', field, code: error.code, message: error.message };
  if (error instanceof MissingSourceColumn) return { stage: 'transform', field, code: 'missing_source_column', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { stage: 'transform', field, code: 'transform_failed', message: `unexpected failure: ${message}` };
}

function unknownColumnCheck(field: string): ValueCheck {
  const error: FieldError = { stage: 'validate', field, code: 'unknown_column', message: `the target has no column "${field}"` };
  return () => error;
}

// ---- convenience for one-off calls (preview of a single row, tests) ------------------

const NO_COLUMNS: readonly ColumnInfo[] = [];
const compiledCache = new WeakMap<MappingSpec, WeakMap<readonly ColumnInfo[], Map<string, CompiledMapping>>>();

/**
 * Same result as compileMapping(spec, targetColumns, options)(row), compiled once per
 * spec object and column list. Keep passing the same objects to benefit; an edited spec
 * must be a new object (immutable updates, as React state already is).
 */
export function applyMapping(
  spec: MappingSpec,
  row: Row,
  targetColumns?: readonly ColumnInfo[],
  options: Omit<ValidateRowOptions, 'writeMode'> = {},
): MappingResult {
  let byColumns = compiledCache.get(spec);
  if (byColumns === undefined) {
    byColumns = new WeakMap();
    compiledCache.set(spec, byColumns);
  }
  const columnsKey = targetColumns ?? NO_COLUMNS;
  let byOptions = byColumns.get(columnsKey);
  if (byOptions === undefined) {
    byOptions = new Map();
    byColumns.set(columnsKey, byOptions);
  }
  const optionsKey = String(options.nullMeansDefault ?? false);
  let compiled = byOptions.get(optionsKey);
  if (compiled === undefined) {
    compiled = compileMapping(spec, targetColumns, options);
    byOptions.set(optionsKey, compiled);
  }
  return compiled(row);
}

/** Every source column the spec reads (keys, filters, ordering, fields), in first-use order. */
export function sourceColumnsOf(spec: MappingSpec): string[] {
  const columns = new Set<string>(spec.source.key);
  for (const filter of spec.source.filter) columns.add(filter.column);
  if (spec.duplicatePolicy.mode === 'last_wins') columns.add(spec.duplicatePolicy.orderBy);
  for (const field of spec.fields) {
    for (const source of field.sources) columns.add(source);
    for (const transform of field.transforms) for (const column of columnsReadBy(transform)) columns.add(column);
  }
  return [...columns];
}

/** Source columns a transform reads besides its field's value (phone_e164's countryColumn). */
export function columnsReadBy(transform: FieldMapping['transforms'][number]): string[] {
  return transform.op === 'phone_e164' && transform.countryColumn ? [transform.countryColumn] : [];
}

/** Target columns written, in spec order: the column order of write batches. */
export function targetColumnsOf(spec: MappingSpec): string[] {
  return spec.fields.map((field) => field.target);
}
