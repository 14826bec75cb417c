import type { ColumnInfo, TableDetail, TypeFamily } from '../connectors/connector';
import type { CanonicalColumn, CanonicalForm, HashEncoding, TimestampPrecision } from '../connectors/canonical-column';
import { bitLength } from '../connectors/type-family';
import { isUtcZone } from '../mapping/zoned-time';
import type { ConnectorKind } from '../schemas/connection-config';
import type { ColumnNormalization, VerifySettings } from '../schemas/consistency';
import type { FieldMapping, MappingSpec, TransformOf } from '../schemas/mapping-spec';

/**
 * When in-database hashing is sound for a mapping, and the canonical form of every hashed
 * column on each side (canonical-column.ts). Refusals are sentences for the job page: they
 * say why the rows are compared in the workers instead.
 */

export interface PlanInput {
  spec: MappingSpec;
  sourceKind: ConnectorKind;
  targetKind: ConnectorKind;
  source: TableDetail;
  target: TableDetail;
  settings: VerifySettings;
}

/** The opaque `details` of an InDatabasePlan: the hashed columns of each side, keys first. */
export interface HashPlanDetails {
  encoding: HashEncoding;
  source: CanonicalColumn[];
  target: CanonicalColumn[];
}

export type HashPlanResult = { ok: true; details: HashPlanDetails } | { ok: false; reason: string };

class Refusal extends Error {}
function refuse(reason: string): never {
  throw new Refusal(reason);
}

export function planHashColumns(input: PlanInput): HashPlanResult {
  try {
    return { ok: true, details: buildDetails(input) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

interface Sides {
  bothPostgres: boolean;
  sameEngine: boolean;
  input: PlanInput;
}

function buildDetails(input: PlanInput): HashPlanDetails {
  const { spec, settings } = input;
  const sides: Sides = {
    bothPostgres: input.sourceKind === 'postgres' && input.targetKind === 'postgres',
    sameEngine: input.sourceKind === input.targetKind,
    input,
  };
  if (spec.source.filter.length > 0) {
    refuse('the mapping filters source rows, and the databases cannot apply that filter the way the migration does');
  }
  if (spec.source.key.length !== spec.target.key.length) refuse('the target key has other columns than the source key');

  const pairs: { source: CanonicalColumn; target: CanonicalColumn }[] = [];
  spec.target.key.forEach((targetKey, i) => pairs.push(keyPair(sides, targetKey, spec.source.key[i])));
  for (const field of spec.fields) {
    if (spec.target.key.includes(field.target)) continue;
    if (settings.columns[field.target]?.exclude) continue;
    pairs.push(columnPair(sides, field, settings.columns[field.target] ?? {}));
  }
  return {
    encoding: sides.bothPostgres ? 'postgres' : 'portable',
    source: pairs.map((p) => p.source),
    target: pairs.map((p) => p.target),
  };
}

function columnOf(table: TableDetail, name: string, side: 'source' | 'target'): ColumnInfo {
  return table.columns.find((c) => c.name === name) ?? refuse(`the ${side} table "${table.name}" has no column "${name}"`);
}

// ---- keys ----------------------------------------------------------------------------------

/** Collations under which text sorts by code point, as the other database's binary collation does. */
const BINARY_PG_COLLATIONS = new Set(['c', 'posix', 'c.utf-8', 'c.utf8', 'ucs_basic', 'pg_c_utf8', 'builtin:c', 'builtin:c.utf-8', 'builtin:c.utf8']);
const isBinaryCollation = (kind: ConnectorKind, collation: string | null | undefined): boolean => {
  if (!collation) return false;
  const name = collation.toLowerCase();
  // MariaDB/MySQL *_bin collations compare by code point (utf8mb4_bin pads with spaces, so
  // a key ending in a control character sorts before its prefix: such keys are vanishingly
  // rare and would surface as a missing plus an extra row, never hide a difference).
  return kind === 'postgres' ? BINARY_PG_COLLATIONS.has(name) : name === 'binary' || name.endsWith('_bin');
};

function keyPair(sides: Sides, targetKey: string, sourceKey: string): { source: CanonicalColumn; target: CanonicalColumn } {
  const { input } = sides;
  const field = input.spec.fields.find((f) => f.target === targetKey);
  if (!field || field.sources.length !== 1 || field.sources[0] !== sourceKey || field.transforms.length > 0 || field.reference !== undefined) {
    refuse(`the target key "${targetKey}" is not a plain copy of the source key "${sourceKey}"`);
  }
  const s = columnOf(input.source, sourceKey, 'source');
  const t = columnOf(input.target, targetKey, 'target');
  const bothInteger = s.family === 'integer' && t.family === 'integer';
  const bothText = s.family === 'text' && t.family === 'text';
  if (bothText) {
    const binary = isBinaryCollation(input.sourceKind, s.collation) && isBinaryCollation(input.targetKind, t.collation);
    const sameCollation = sides.sameEngine && !!s.collation && s.collation === t.collation;
    if (!binary && !sameCollation) {
      refuse(
        `the text key "${targetKey}" may sort differently in the two databases (collations ${s.collation ?? 'unknown'} and ${t.collation ?? 'unknown'}); ` +
          'in-database hashing needs binary collations on both sides (MariaDB utf8mb4_bin, PostgreSQL "C") or the same collation in two databases of one kind',
      );
    }
  } else if (!bothInteger && !(sides.sameEngine && s.family === t.family)) {
    refuse(`the key "${targetKey}" (${s.family} → ${t.family}) may sort differently in the two databases; in-database hashing needs integer keys there`);
  }
  // Keys are hashed exactly: no normalization applies to them.
  return formsFor(sides, { source: s, target: t, cast: null, normalization: {}, what: `key "${targetKey}"` });
}

// ---- compared columns ------------------------------------------------------------------------

function columnPair(sides: Sides, field: FieldMapping, normalization: Partial<ColumnNormalization>) {
  const { input } = sides;
  const name = field.target;
  if (field.reference !== undefined) refuse(`column "${name}" is a reference, resolved to the parent's target id row by row`);
  if (field.sources.length !== 1) {
    refuse(`column "${name}" is computed from ${field.sources.length === 0 ? 'no source column' : 'several source columns'}`);
  }
  const s = columnOf(input.source, field.sources[0], 'source');
  const t = columnOf(input.target, name, 'target');
  if (t.family === 'array' && isSetMembers(field, s)) return formsFor(sides, { source: s, target: t, cast: null, normalization, what: `column "${name}"`, setMembers: true });
  const casts = field.transforms.filter((t): t is TransformOf<'cast'> => t.op === 'cast');
  if (casts.length !== field.transforms.length || casts.length > 1) {
    const ops = [...new Set(field.transforms.filter((t) => t.op !== 'cast').map((t) => t.op))];
    refuse(`column "${name}" is transformed (${ops.join(', ') || 'several casts'}); in-database hashing needs plain copies or a single cast`);
  }
  if (casts[0] && (casts[0].onFailure ?? 'reject') !== 'reject') {
    refuse(`column "${name}" keeps or nulls values its cast cannot convert, which the databases cannot repeat`);
  }
  if (normalization.tolerance !== undefined && normalization.tolerance > 0) {
    refuse(`column "${name}" has a numeric tolerance, which only the row-by-row comparison applies`);
  }
  return formsFor(sides, { source: s, target: t, cast: casts[0] ?? null, normalization, what: `column "${name}"` });
}

/** A MariaDB SET split into its members at ',' into an array (the copy's split, or none: a plain copy does that). */
function isSetMembers(field: FieldMapping, source: ColumnInfo): boolean {
  if (source.family !== 'set') return false;
  if (field.transforms.length === 0) return true;
  const [only] = field.transforms;
  return field.transforms.length === 1 && only.op === 'split' && only.index === undefined && only.separator === ',' && !only.trim;
}

interface PairInput {
  source: ColumnInfo;
  target: ColumnInfo;
  cast: TransformOf<'cast'> | null;
  normalization: Partial<ColumnNormalization>;
  what: string;
  /** The source is a SET copied as its list of members (isSetMembers). */
  setMembers?: boolean;
}

const TEXTUAL: ReadonlySet<TypeFamily> = new Set(['text', 'enum', 'uuid']);
/** Sources whose text is theirs to compare with text: a SET's text is its members joined by ','. */
const TEXT_SOURCES: ReadonlySet<TypeFamily> = new Set([...TEXTUAL, 'set']);
const NUMERIC: ReadonlySet<TypeFamily> = new Set(['integer', 'decimal', 'float']);
const CAST_ACCEPTS: Record<TransformOf<'cast'>['to'], ReadonlySet<TypeFamily>> = {
  integer: new Set(['integer']),
  decimal: new Set(['integer', 'decimal']),
  boolean: new Set(['boolean', 'integer']),
  text: new Set(['text', 'enum', 'uuid', 'integer', 'decimal']),
};

function formsFor(sides: Sides, pair: PairInput): { source: CanonicalColumn; target: CanonicalColumn } {
  const form = canonicalForm(sides, pair);
  return { source: side(sides.input.sourceKind, pair.source, form), target: side(sides.input.targetKind, pair.target, form) };
}

function side(kind: ConnectorKind, column: ColumnInfo, form: CanonicalForm): CanonicalColumn {
  const out: CanonicalColumn = { name: column.name, family: column.family, form };
  if (column.family === 'decimal') out.scale = column.numericScale;
  if (kind === 'mysql' && form.kind === 'bit') out.bits = bitLength(column.dataType) ?? undefined;
  if (kind === 'mysql' && column.collation?.toLowerCase().startsWith('utf8mb4_')) out.utf8mb4 = true;
  // PostgreSQL char(n) ("character(5)"; not "character varying"): the driver pads values.
  if (kind === 'postgres' && /^(character|bpchar)(\(|$)/.test(column.dataType) && column.maxLength !== null) out.padTo = column.maxLength;
  return out;
}

function canonicalForm(sides: Sides, { source: s, target: t, cast, normalization: n, what, setMembers }: PairInput): CanonicalForm {
  const from = s.family;
  const to = t.family;
  const describe = `${what} (${from} → ${to}${cast ? `, cast to ${cast.to}` : ''})`;
  if (cast && !CAST_ACCEPTS[cast.to].has(from)) refuse(`${describe}: the cast changes values in ways the databases cannot repeat`);
  if (setMembers) {
    if (to !== 'array' || !/^(text|character varying(\(\d+\))?)\[\]$/.test(t.dataType)) refuse(`${describe}: the members of a SET are only hashed into a text array`);
    return { kind: 'set_array' };
  }

  if (to === 'integer' && from === 'integer') return { kind: 'integer' };
  if (to === 'decimal' && (from === 'integer' || from === 'decimal')) {
    const scale = n.decimalScale ?? t.numericScale;
    const roundFirst = cast?.to === 'decimal' ? cast.scale : undefined;
    if (scale === null || scale === undefined) {
      if (sides.bothPostgres && roundFirst === undefined) return { kind: 'native' };
      refuse(`${describe}: the target decimal has no fixed scale; set a decimal scale for the column`);
    }
    const integerDigits = from === 'decimal' && s.numericPrecision !== null ? s.numericPrecision - (s.numericScale ?? 0) : 20;
    if (!sides.bothPostgres && integerDigits + scale > 65) refuse(`${describe}: more digits than MariaDB's DECIMAL can round exactly`);
    return roundFirst === undefined ? { kind: 'decimal', scale } : { kind: 'decimal', scale, roundFirst };
  }
  if (to === 'boolean' && (from === 'boolean' || from === 'integer')) return { kind: 'boolean' };
  // Text written into an array ('{red,green}', as PostgreSQL spells one): the array's own text
  // matches it where it was spelled that way, any other spelling is compared row by row.
  if (to === 'array' && from === 'text' && sides.input.targetKind === 'postgres') return { kind: 'text', emptyAsNull: false, trim: false, lower: false };
  if (TEXTUAL.has(to) && (TEXT_SOURCES.has(from) || from === 'integer' || from === 'decimal')) {
    if (n.caseInsensitive && !sides.bothPostgres) {
      refuse(`${what} is compared without regard to case, which only PostgreSQL to PostgreSQL hashing repeats exactly`);
    }
    return { kind: 'text', emptyAsNull: n.emptyAsNull ?? false, trim: n.trim ?? false, lower: n.caseInsensitive ?? false };
  }
  if (to === 'date' && from === 'date') return { kind: 'date' };
  if ((to === 'timestamp' || to === 'timestamptz') && (from === 'timestamp' || from === 'timestamptz')) {
    const precision = n.timestampPrecision ?? defaultPrecision(t);
    // Wall times without zone read in the source connection's zone (adapt-to-target.ts).
    const zone = from === 'timestamp' && to === 'timestamptz' && s.timeZone !== undefined && !isUtcZone(s.timeZone) ? s.timeZone : undefined;
    if (zone === undefined) return { kind: 'timestamp', precision };
    if (sides.input.targetKind !== 'postgres') refuse(`${describe}: wall times in ${zone} are only compared where the target is PostgreSQL`);
    return { kind: 'timestamp', precision, zone };
  }
  if (from === 'json' && to === 'json') {
    if (sides.bothPostgres) return { kind: 'json' };
    refuse(`${describe}: JSON has no common text form in both databases (MariaDB writes its numbers otherwise); it is compared row by row`);
  }
  // Anything else hashes as its own text, which only means the same in two PostgreSQL
  // databases with the very same column type.
  if (sides.bothPostgres && !cast && s.dataType === t.dataType) return { kind: 'native' };
  if (to === 'float' && NUMERIC.has(from) && !cast) return { kind: 'float' };
  if (to === 'binary' && from === 'binary') return { kind: 'binary' };
  if (to === 'bit' && (from === 'bit' || (from === 'binary' && sides.input.sourceKind === 'mysql' && bitLength(s.dataType) !== null))) {
    if (sides.input.targetKind !== 'postgres') refuse(`${describe}: bit strings are only hashed into PostgreSQL`);
    return { kind: 'bit' };
  }
  const timeOfDay = (c: ColumnInfo) => c.family === 'time' && !/with time zone/.test(c.dataType);
  if (timeOfDay(s) && (timeOfDay(t) || (to === 'interval' && sides.input.targetKind === 'postgres'))) return { kind: 'time' };
  if (to === 'float' || from === 'float') refuse(`${describe}: floating-point values are compared row by row`);
  refuse(`${describe}: these types have no common text form in both databases`);
}

/**
 * Same default as the row comparison (normalize.ts): the fraction the target column keeps.
 * PostgreSQL types without digits keep microseconds, MariaDB's whole seconds.
 */
function defaultPrecision(column: ColumnInfo): TimestampPrecision {
  const digits = /\((\d)\)/.exec(column.dataType);
  if (digits) return Number(digits[1]) === 0 ? 's' : Number(digits[1]) <= 3 ? 'ms' : 'us';
  return /^(datetime|timestamp)$/i.test(column.dataType) ? 's' : 'us';
}
