import type { ColumnInfo, TableDetail } from '../connectors/connector';
import type { FieldMapping, MappingSpec } from '../schemas/mapping-spec';
import { inferFieldOutput } from './infer-field-output';
import { regexIssues } from './regex-issues';
import { familyCompatibility } from './type-compat';
import { compileValueCheck, integerRange, isRequiredColumn } from './validate-row';

/**
 * Checks a (schema-valid) spec against the actual source and target tables. Errors make
 * the mapping unusable (refuse to save, refuse to plan a run); warnings point at rows
 * likely to fail or lose data. Paths follow the spec ("fields.3.target").
 */
export interface Issue {
  path: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

/**
 * An issue as the API answers it (save, check): `path` names the request field
 * ("body.spec.fields.3"), like the field paths of a 422.
 */
export interface ApiIssue {
  path: string;
  code: string;
  message: string;
}

/** The issues of one severity in the API's shape, their paths under the request's spec field. */
export function apiIssues(issues: readonly Issue[], severity: Issue['severity'], specPath = 'body.spec'): ApiIssue[] {
  return issues.filter((issue) => issue.severity === severity).map((issue) => ({ path: `${specPath}.${issue.path}`, code: issue.code, message: issue.message }));
}

export function checkMapping(spec: MappingSpec, source: TableDetail, target: TableDetail): Issue[] {
  const issues: Issue[] = [];
  const error = (path: string, code: string, message: string) => issues.push({ path, severity: 'error', code, message });
  const warning = (path: string, code: string, message: string) => issues.push({ path, severity: 'warning', code, message });
  const sourceColumns = new Map(source.columns.map((column) => [column.name, column]));
  const targetColumns = new Map(target.columns.map((column) => [column.name, column]));

  if (!sameTable(spec.source.table, source)) error('source.table', 'table_mismatch', `the spec reads "${spec.source.table}" but was checked against "${source.name}"`);
  if (!sameTable(spec.target.table, target)) error('target.table', 'table_mismatch', `the spec writes "${spec.target.table}" but was checked against "${target.name}"`);

  // ---- source side
  const knownSource = (column: string, path: string): boolean => {
    if (sourceColumns.has(column)) return true;
    error(path, 'unknown_source_column', `source table "${source.name}" has no column "${column}"`);
    return false;
  };
  spec.source.key.forEach((column, index) => knownSource(column, `source.key.${index}`));
  if (spec.source.key.every((column) => sourceColumns.has(column)) && !isUniqueIn(spec.source.key, source, 'covering')) {
    warning(
      'source.key',
      'source_key_not_unique',
      `(${spec.source.key.join(', ')}) is not the primary key or a unique constraint of "${source.name}"; rows with equal keys may be skipped or reported as duplicates`,
    );
  }
  spec.source.filter.forEach((filter, index) => knownSource(filter.column, `source.filter.${index}.column`));
  if (spec.duplicatePolicy.mode === 'last_wins') knownSource(spec.duplicatePolicy.orderBy, 'duplicatePolicy.orderBy');

  // ---- target key
  const mappedTargets = new Set(spec.fields.map((field) => field.target));
  spec.target.key.forEach((column, index) => {
    const path = `target.key.${index}`;
    const info = targetColumns.get(column);
    if (info === undefined) error(path, 'unknown_target_column', `target table "${target.name}" has no column "${column}"`);
    else if (!mappedTargets.has(column)) error(path, 'target_key_unmapped', `key column "${column}" must be mapped: every row needs its key`);
    else if (info.nullable) warning(path, 'nullable_key', `key column "${column}" allows NULL; rows with a null key cannot be matched on re-runs`);
  });
  if (spec.target.key.every((column) => targetColumns.has(column)) && !isUniqueIn(spec.target.key, target, 'exact')) {
    const message = `(${spec.target.key.join(', ')}) is not the primary key or a unique constraint of "${target.name}"`;
    if (spec.writeMode === 'upsert') error('target.key', 'target_key_not_unique', `${message}; upsert needs one as its conflict target`);
    else warning('target.key', 'target_key_not_unique', `${message}; re-runs cannot detect rows already written`);
  }

  // ---- fields
  const firstByTarget = new Map<string, number>();
  spec.fields.forEach((field, index) => {
    const first = firstByTarget.get(field.target);
    if (first !== undefined) {
      error(`fields.${index}.target`, 'duplicate_target', `column "${field.target}" is already mapped by field ${first + 1}`);
      return;
    }
    firstByTarget.set(field.target, index);
    const sourcesKnown = field.sources.map((column, s) => knownSource(column, `fields.${index}.sources.${s}`)).every(Boolean);
    const column = targetColumns.get(field.target);
    if (column === undefined) {
      error(`fields.${index}.target`, 'unknown_target_column', `target table "${target.name}" has no column "${field.target}"`);
      return;
    }
    // A reference's value is the parent's target id, not its source values: types are the parent's business.
    if (sourcesKnown && field.reference === undefined) checkField(field, `fields.${index}`, column, sourceColumns, error, warning);
  });

  // ---- patterns the linear-time regex engine cannot run
  for (const issue of regexIssues(spec)) error(issue.path, 'regex_unsupported', issue.message);

  // ---- required target columns
  if (spec.writeMode !== 'update') {
    for (const column of target.columns) {
      if (isRequiredColumn(column) && !mappedTargets.has(column.name)) {
        error('fields', 'required_unmapped', `target column "${column.name}" is NOT NULL without a default and must be mapped`);
      }
    }
  }
  return issues;
}

type Report = (path: string, code: string, message: string) => void;

function checkField(
  field: FieldMapping,
  path: string,
  column: ColumnInfo,
  sourceColumns: ReadonlyMap<string, ColumnInfo>,
  error: Report,
  warning: Report,
): void {
  const name = `"${column.name}"`;
  if (column.autoGenerated) {
    warning(`${path}.target`, 'auto_generated_target', `${name} is filled by the database; a mapped value overrides it (and fails for GENERATED ALWAYS columns)`);
  }
  const concatIndex = field.transforms.findIndex((transform) => transform.op === 'concat');
  if (concatIndex >= 0 && field.sources.length < 2) {
    warning(`${path}.transforms.${concatIndex}`, 'concat_single_source', 'concat joins the field’s sources; add more source columns or remove it');
  }

  const output = inferFieldOutput(field, sourceColumns);
  if (output.family === 'null') {
    const message = 'the field always produces null (no source, constant or default)';
    // Writers send NULL as NULL, so even a column default does not help here.
    if (!column.nullable) error(`${path}.sources`, 'always_null', `${name} is NOT NULL: ${message}`);
    else warning(`${path}.sources`, 'always_null', message);
    return;
  }

  // Literal outputs (constants, value_map results, defaults) can be checked exactly.
  const checkValue = compileValueCheck(column);
  for (const { value, transformIndex } of output.literals) {
    const problem = checkValue(value);
    if (problem === null) continue;
    const report = field.transforms[transformIndex]?.op === 'constant' ? error : warning;
    report(`${path}.transforms.${transformIndex}`, `literal_${problem.code}`, `${problem.message} (column ${name})`);
  }
  if (output.literalOnly || output.family === 'unknown') return;

  const fromType = output.fromSource ? `source type ${output.family}` : `${output.family} values`;
  switch (familyCompatibility(output.family, column.family)) {
    case 'incompatible':
      warning(path, 'type_mismatch', `${fromType} cannot go into ${name} (${column.dataType}); every non-null row will fail`);
      return;
    case 'needs_conversion':
      if (column.family === 'enum') {
        warning(path, 'enum_values', `values outside (${(column.enumValues ?? []).join(', ')}) will be rejected; consider a value_map`);
      } else {
        warning(path, 'needs_cast', `${fromType} into ${name} (${column.dataType}) without a cast or parse_date; rows that do not convert will fail`);
      }
      return;
    case 'lossy':
      warning(path, 'lossy_conversion', lossyMessage(output.family, column, fromType, output.sourceColumn));
      return;
    default:
      break;
  }
  if (output.maxLength !== null && column.maxLength !== null && output.maxLength > column.maxLength && column.family === 'text') {
    warning(path, 'may_be_too_long', `values can be up to ${output.maxLength} characters but ${name} allows ${column.maxLength}; longer rows will fail`);
  }
  if (output.sourceColumn !== null) checkNumericNarrowing(output.sourceColumn, column, path, warning);
}

function lossyMessage(from: string, column: ColumnInfo, fromType: string, source: ColumnInfo | null): string {
  if (column.family === 'timestamptz' && source?.family === 'timestamp') {
    // The source connection's setting says which zone (ColumnInfo.timeZone; UTC when unset).
    const zone = source.timeZone ?? 'UTC';
    return `${fromType} into "${column.name}" (${column.dataType}): wall times are read in ${zone}, the source connection's time zone of timestamps without zone; change it there, or use parse_date with another zone`;
  }
  if (column.family === 'timestamptz' || from === 'timestamptz') {
    return `${fromType} into "${column.name}" (${column.dataType}): a time zone has to be assumed; use parse_date with an explicit time zone`;
  }
  return `${fromType} into "${column.name}" (${column.dataType}) may lose precision or the time of day`;
}

/** Same family, smaller type: bigint → int, numeric(12,2) → numeric(8,2). */
function checkNumericNarrowing(source: ColumnInfo, target: ColumnInfo, path: string, warning: Report): void {
  if (source.family === 'integer' && target.family === 'integer') {
    const [from, to] = [integerRange(source), integerRange(target)];
    if (from.min < to.min || from.max > to.max) {
      warning(path, 'may_be_out_of_range', `${source.dataType} values may not fit "${target.name}" (${target.dataType})`);
    }
  }
  if (source.family === 'decimal' && target.family === 'decimal' && target.numericPrecision !== null && source.numericPrecision !== null) {
    const sourceDigits = source.numericPrecision - (source.numericScale ?? 0);
    const targetDigits = target.numericPrecision - (target.numericScale ?? 0);
    if (sourceDigits > targetDigits) {
      warning(path, 'may_be_out_of_range', `${source.dataType} values may not fit "${target.name}" (${target.dataType})`);
    }
  }
}

/** Case-insensitive: MySQL on some systems reports table names in another case. */
function sameTable(specTable: string, table: TableDetail): boolean {
  const wanted = specTable.toLowerCase();
  return wanted === table.name.toLowerCase() || wanted === `${table.schema}.${table.name}`.toLowerCase();
}

/**
 * 'exact': the columns are exactly the primary key or a unique constraint (what
 * PostgreSQL's ON CONFLICT needs). 'covering': they include one (enough for uniqueness).
 */
function isUniqueIn(columns: readonly string[], table: TableDetail, mode: 'exact' | 'covering'): boolean {
  const wanted = new Set(columns);
  const candidates = [table.primaryKey, ...table.uniqueConstraints.map((constraint) => constraint.columns)].filter((c) => c.length > 0);
  return candidates.some((unique) =>
    mode === 'exact'
      ? unique.length === wanted.size && unique.every((column) => wanted.has(column))
      : unique.every((column) => wanted.has(column)),
  );
}
