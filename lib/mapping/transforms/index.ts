import type { Transform } from '../../schemas/mapping-spec';
import { compileCast } from './cast';
import { collapseWhitespace } from './collapse-whitespace';
import { concat } from './concat';
import { constant } from './constant';
import { defaultValue } from './default';
import { email } from './email';
import { lower } from './lower';
import { nullIfEmpty } from './null-if-empty';
import { compileParseDate } from './parse-date';
import { compilePhoneE164 } from './phone-e164';
import { compileRegexReplace } from './regex-replace';
import { split } from './split';
import { trim } from './trim';
import type { ColumnReader, TransformFn } from './types';
import { upper } from './upper';
import { compileValueMap } from './value-map';

export type { ColumnReader, TransformFn } from './types';

/**
 * Binds a transform's parameters once (regexes, maps, date parsers, zones) and returns
 * the per-value function. Throws TransformError for parameters that cannot work, such
 * as an invalid regex in a spec that skipped schema validation. `readColumn` lets a
 * transform read another column of the row (phone_e164's countryColumn).
 */
export function compileTransform(transform: Transform, readColumn?: ColumnReader): TransformFn {
  switch (transform.op) {
    case 'trim':
      return trim;
    case 'lower':
      return lower;
    case 'upper':
      return upper;
    case 'collapse_whitespace':
      return collapseWhitespace;
    case 'null_if_empty':
      return nullIfEmpty;
    case 'email':
      return email;
    case 'default':
      return (value) => defaultValue(value, transform);
    case 'constant':
      return (value) => constant(value, transform);
    case 'concat':
      return (value) => concat(value, transform);
    case 'split':
      return (value) => split(value, transform);
    case 'cast':
      return compileCast(transform);
    case 'parse_date':
      return compileParseDate(transform);
    case 'phone_e164':
      return compilePhoneE164(transform, readColumn);
    case 'regex_replace':
      return compileRegexReplace(transform);
    case 'value_map':
      return compileValueMap(transform);
    default:
      return assertNever(transform);
  }
}

const compiledByTransform = new WeakMap<Transform, TransformFn>();

/** One-off application (previews, tests); cached per transform object. */
export function applyTransform(value: unknown, transform: Transform): unknown {
  let compiled = compiledByTransform.get(transform);
  if (compiled === undefined) {
    compiled = compileTransform(transform);
    compiledByTransform.set(transform, compiled);
  }
  return compiled(value);
}

function assertNever(transform: never): never {
  throw new Error(`unknown transform ${JSON.stringify(transform)}`);
}
