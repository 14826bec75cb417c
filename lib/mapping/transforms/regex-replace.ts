import type { TransformOf } from '../../schemas/mapping-spec';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { TransformFn } from './types';

type RegexReplaceParams = Pick<TransformOf<'regex_replace'>, 'pattern' | 'flags' | 'replacement'>;

/** Without the g flag only the first match is replaced, exactly like String.replace. */
export function compileRegexReplace(params: RegexReplaceParams): TransformFn {
  let regex: RegExp;
  try {
    regex = new RegExp(params.pattern, params.flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransformError('regex_invalid', `pattern ${describeValue(params.pattern)} is invalid: ${reason}`);
  }
  return (value) => {
    const text = toText(value);
    if (text === null) return value ?? null;
    // Sticky and global regexes carry lastIndex between calls; rows must not affect each other.
    regex.lastIndex = 0;
    return text.replace(regex, params.replacement);
  };
}

export function regexReplace(value: unknown, params: RegexReplaceParams): unknown {
  return compileRegexReplace(params)(value);
}
