import type { TransformOf } from '../../schemas/mapping-spec';
import { compileLinearRegex, OutputTooLargeError, UnsupportedRegexError, type LinearRegex } from '../linear-regex';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { TransformFn } from './types';

type RegexReplaceParams = Pick<TransformOf<'regex_replace'>, 'pattern' | 'flags' | 'replacement'>;

/** How much longer one regex_replace may make a value: 8 times its length, by at most 64 KiB. */
export const REGEX_GROWTH_FACTOR = 8;
export const REGEX_MAX_GROWTH = 64 * 1024;
/** Short values may always grow this much (a replacement of up to 4 KiB on an empty value). */
export const REGEX_MIN_GROWTH = 4 * 1024;

/**
 * The longest result a regex_replace may give for a value of `inputLength` characters. A
 * replacement such as `$&$&$&…` multiplies a value's size per match; unbounded, one row
 * could exhaust a worker's memory. Past this the row fails ('output_too_large').
 */
export function regexOutputLimit(inputLength: number): number {
  const growth = Math.min(Math.max((REGEX_GROWTH_FACTOR - 1) * inputLength, REGEX_MIN_GROWTH), REGEX_MAX_GROWTH);
  return inputLength + growth;
}

/**
 * Runs in the linear-time engine (linear-regex.ts) with JavaScript's replace semantics:
 * without the g flag only the first match is replaced. A pattern the engine cannot run (a
 * backreference or lookaround saved before the engine existed) fails each row with
 * 'regex_unsupported' rather than the whole mapping; saving such a pattern is refused.
 */
export function compileRegexReplace(params: RegexReplaceParams): TransformFn {
  let regex: LinearRegex;
  try {
    // Checks the JavaScript syntax: the pattern's meaning is JavaScript's.
    new RegExp(params.pattern, params.flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransformError('regex_invalid', `pattern ${describeValue(params.pattern)} is invalid: ${reason}`);
  }
  try {
    regex = compileLinearRegex(params.pattern, params.flags, params.replacement);
  } catch (error) {
    if (!(error instanceof UnsupportedRegexError)) throw error;
    const message = `pattern ${describeValue(params.pattern)} ${error.reason}`;
    return () => {
      throw new TransformError('regex_unsupported', message);
    };
  }
  return (value) => {
    const text = toText(value);
    if (text === null) return value ?? null;
    try {
      return regex.replace(text, regexOutputLimit(text.length));
    } catch (error) {
      if (!(error instanceof OutputTooLargeError)) throw error;
      throw new TransformError(
        'output_too_large',
        `replacing ${describeValue(params.pattern)} in a value of ${text.length} characters would give ${error.length}, more than the ${error.limit} allowed (at most ${REGEX_GROWTH_FACTOR}× longer, by at most ${REGEX_MAX_GROWTH / 1024} KiB); check the replacement for repeated $& or groups`,
      );
    }
  };
}

export function regexReplace(value: unknown, params: RegexReplaceParams): unknown {
  return compileRegexReplace(params)(value);
}
