import type { ColumnInfo, TypeFamily } from '../connectors/connector';
import type { FieldMapping, ScalarValue } from '../schemas/mapping-spec';

/**
 * What a field's chain produces, statically: the type family, a bound on text length,
 * and the literal values it can emit (constants, defaults, value_map results), so the
 * mapping checks can compare them with the target column without any data.
 */
export interface FieldOutput {
  /** 'null': always null; 'unknown': cannot tell (mixed value_map results…). */
  family: TypeFamily | 'null' | 'unknown';
  maxLength: number | null;
  /** The source column when its values reach the target unchanged in type. */
  sourceColumn: ColumnInfo | null;
  fromSource: boolean;
  literals: { value: ScalarValue; transformIndex: number }[];
  /** True when every output is one of `literals` (or null). */
  literalOnly: boolean;
}

const PHONE_E164_MAX_LENGTH = 16;

export function inferFieldOutput(field: FieldMapping, sourceColumns: ReadonlyMap<string, ColumnInfo>): FieldOutput {
  const concatIndex = field.transforms.findIndex((transform) => transform.op === 'concat');
  const out = initialOutput(field, concatIndex, sourceColumns);
  field.transforms.forEach((transform, index) => {
    if (index <= concatIndex) return;
    if (out.family === 'null' && transform.op !== 'constant' && transform.op !== 'default') return;
    const derived = () => {
      out.sourceColumn = null;
      out.fromSource = false;
      out.literals = [];
      out.literalOnly = false;
    };
    switch (transform.op) {
      case 'trim':
      case 'lower':
      case 'upper':
      case 'collapse_whitespace':
      case 'email':
        if (out.literals.length > 0) derived();
        return;
      case 'split':
        if (transform.index === undefined) {
          // The list of parts: an array of text.
          derived();
          if (out.family !== 'unknown') out.family = 'array';
          out.maxLength = null;
        } else if (out.literals.length > 0) {
          derived();
        }
        return;
      case 'null_if_empty':
        return;
      case 'regex_replace':
        derived();
        if (out.family !== 'unknown') out.family = 'text';
        out.maxLength = null;
        return;
      case 'phone_e164':
        derived();
        out.family = 'text';
        out.maxLength = PHONE_E164_MAX_LENGTH;
        return;
      case 'cast':
        derived();
        out.family = transform.to;
        if (transform.to !== 'text') out.maxLength = null;
        return;
      case 'parse_date':
        derived();
        out.family = transform.output;
        out.maxLength = null;
        return;
      case 'constant':
        Object.assign(out, fromLiterals([{ value: transform.value, transformIndex: index }]));
        return;
      case 'default':
        if (out.family === 'null') Object.assign(out, fromLiterals([{ value: transform.value, transformIndex: index }]));
        else out.literals.push({ value: transform.value, transformIndex: index });
        return;
      case 'value_map': {
        const literals = Object.values(transform.map).map((value) => ({ value, transformIndex: index }));
        if (transform.otherwise.mode === 'default') literals.push({ value: transform.otherwise.value, transformIndex: index });
        if (transform.otherwise.mode === 'keep') {
          const mapped = fromLiterals(literals);
          const family = mapped.family === out.family || mapped.family === 'null' ? out.family : 'unknown';
          Object.assign(out, { family, maxLength: null, sourceColumn: null, fromSource: false, literals, literalOnly: false });
        } else {
          Object.assign(out, fromLiterals(literals));
        }
        return;
      }
      case 'concat':
        return;
    }
  });
  return out;
}

function initialOutput(field: FieldMapping, concatIndex: number, sourceColumns: ReadonlyMap<string, ColumnInfo>): FieldOutput {
  const base = { sourceColumn: null, fromSource: false, literals: [], literalOnly: false };
  if (field.sources.length === 0) return { ...base, family: 'null', maxLength: null };
  if (concatIndex >= 0) {
    const separator = field.transforms[concatIndex];
    const separatorLength = separator.op === 'concat' ? separator.separator.length : 0;
    let maxLength: number | null = separatorLength * (field.sources.length - 1);
    for (const name of field.sources) {
      const length = sourceColumns.get(name)?.maxLength ?? null;
      maxLength = maxLength === null || length === null ? null : maxLength + length;
    }
    return { ...base, family: 'text', maxLength };
  }
  const column = sourceColumns.get(field.sources[0]);
  if (column === undefined) return { ...base, family: 'unknown', maxLength: null };
  return {
    ...base,
    family: column.family,
    maxLength: column.family === 'text' ? column.maxLength : null,
    sourceColumn: column,
    fromSource: true,
  };
}

function fromLiterals(literals: FieldOutput['literals']): FieldOutput {
  const families = new Set<TypeFamily>();
  for (const { value } of literals) if (value !== null) families.add(literalFamily(value));
  if (families.has('decimal')) families.delete('integer');
  const family: FieldOutput['family'] = families.size === 0 ? 'null' : families.size === 1 ? [...families][0] : 'unknown';
  const lengths = literals.map(({ value }) => (typeof value === 'string' ? [...value].length : 0));
  return {
    family,
    maxLength: family === 'text' ? Math.max(0, ...lengths) : null,
    sourceColumn: null,
    fromSource: false,
    literals,
    literalOnly: true,
  };
}

function literalFamily(value: string | number | boolean): TypeFamily {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'boolean';
  return Number.isInteger(value) ? 'integer' : 'decimal';
}
