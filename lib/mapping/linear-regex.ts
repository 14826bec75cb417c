import { RE2JS, type Matcher } from 're2js';
import { translateJsRegex } from './translate-js-regex';

/**
 * Users' regular expressions run in RE2's linear-time engine (re2js, a pure JavaScript
 * port): matching time grows with the text's length times the pattern's size, never
 * exponentially, so `^(a|a)*$` on "aaaa…!" cannot stall a web request or a worker the way
 * JavaScript's backtracking engine does. Patterns are written in JavaScript syntax
 * (translate-js-regex.ts); those RE2 cannot run are refused with a reason.
 */

/**
 * RE2's "program size" (instructions) bounds the work per character: past it a pattern is
 * refused. Ordinary patterns are far below (an e-mail pattern ≈ 15, a phone pattern ≈ 30,
 * an alternation of 80 words ≈ 600); `[a-z]{1,1000}` is ≈ 2000 and costs seconds on long text.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1000;

export class UnsupportedRegexError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsupportedRegexError';
  }
}

/** A replacement would make the text longer than the caller allows. */
export class OutputTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(`the result would be ${length} characters long, more than the limit of ${limit}`);
    this.name = 'OutputTooLargeError';
  }
}

const flagBits = (flags: string) => (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0);

/**
 * Compiling costs about 2 µs per instruction of the program it builds, and `a{1000}a{1000}…`
 * builds 70,000 from 500 characters: patterns estimated far past the limit are refused
 * before compiling, so that checking a spec full of them cannot hold up a request.
 */
const MAX_ESTIMATED_SIZE = 4 * MAX_REGEX_PROGRAM_SIZE;

const tooComplex = (size: number) =>
  new UnsupportedRegexError(
    `is too complex for the regex engine (size ${size}, at most ${MAX_REGEX_PROGRAM_SIZE}): use smaller repeat counts, e.g. {1,50} instead of {1,1000}`,
  );

function compileRe2(pattern: string, flags: string): RE2JS {
  const translated = translateJsRegex(pattern, flags);
  if (!translated.ok) throw new UnsupportedRegexError(translated.reason);
  const estimate = estimateProgramSize(translated.source);
  if (estimate > MAX_ESTIMATED_SIZE) throw tooComplex(estimate);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated.source, flagBits(flags));
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    throw new UnsupportedRegexError(`cannot run in the linear-time regex engine: ${detail}`);
  }
  if (compiled.programSize() > MAX_REGEX_PROGRAM_SIZE) throw tooComplex(compiled.programSize());
  return compiled;
}

/**
 * An upper bound of the program RE2 compiles from an RE2 pattern, in one pass over its text
 * without compiling: one instruction per character, class or escape, two per group and per
 * *, + or ?, one per |, and x{n,m} as m copies of x plus one per optional copy.
 */
export function estimateProgramSize(source: string): number {
  const levels = [{ total: 0, last: 0 }];
  const top = () => levels[levels.length - 1];
  const atom = (size: number) => {
    top().total += size;
    top().last = size;
  };
  const grow = (size: number) => {
    top().total += size - top().last;
    top().last = size;
  };
  const skipBraces = (at: number) => {
    const close = source.indexOf('}', at);
    return close < 0 ? source.length : close + 1;
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      const next = source[i + 1];
      i = (next === 'x' || next === 'p' || next === 'P') && source[i + 2] === '{' ? skipBraces(i) : next === 'x' ? i + 4 : next === 'p' || next === 'P' ? i + 3 : i + 2;
      atom(1);
    } else if (char === '[') {
      let j = i + 1;
      if (source[j] === '^') j += 1;
      if (source[j] === ']') j += 1;
      while (j < source.length && source[j] !== ']') {
        if (source[j] === '\\') j = source[j + 2] === '{' ? skipBraces(j) : j + 2;
        else if (source.startsWith('[:', j)) j = source.indexOf(':]', j) < 0 ? source.length : source.indexOf(':]', j) + 2;
        else j += 1;
      }
      i = j + 1;
      atom(1);
    } else if (char === '(') {
      levels.push({ total: 0, last: 0 });
      // (?P<name>…, (?:…, (?i:… and (?i): the opener itself is no atom.
      const opener = /^\((\?(P?<[^>]*>|[a-zA-Z-]*:?))?/.exec(source.slice(i, i + 140));
      i += opener ? opener[0].length : 1;
    } else if (char === ')') {
      const group = levels.length > 1 ? levels.pop()! : { total: 0 };
      atom(group.total + 2);
      i += 1;
    } else if (char === '|') {
      top().total += 1;
      top().last = 0;
      i += 1;
    } else if (char === '*' || char === '+' || char === '?') {
      grow(top().last + 2);
      i += source[i + 1] === '?' ? 2 : 1;
    } else if (char === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i, i + 24))) {
      const [text, min, max] = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i, i + 24))!;
      const copies = max === undefined ? Number(min) : max === '' ? Number(min) + 1 : Math.max(Number(max), Number(min));
      grow(top().last * Math.max(copies, 1) + copies + 1);
      i += text.length + (source[i + text.length] === '?' ? 1 : 0);
    } else {
      atom(1);
      i += 1;
    }
  }
  // The unanchored search's own prefix and the match instruction.
  return levels.reduce((sum, level) => sum + level.total, 0) + 4;
}

/** The estimated program size of a JavaScript pattern (translate-js-regex.ts), or null when it cannot be translated. */
export function estimatedRegexSize(pattern: string, flags: string): number | null {
  const translated = translateJsRegex(pattern, flags);
  return translated.ok ? estimateProgramSize(translated.source) : null;
}

/**
 * Why the linear-time engine cannot run this pattern, or null when it can. Assumes the
 * pattern and flags are valid JavaScript (the transform schema checks that first).
 */
export function linearRegexProblem(pattern: string, flags: string): string | null {
  try {
    compileRe2(pattern, flags);
    return null;
  } catch (error) {
    if (error instanceof UnsupportedRegexError) return error.reason;
    throw error;
  }
}

/** A replacement template ($1, $<name>, $&, $`, $', $$) split once into its parts. */
type ReplacementPart = { text: string } | { group: number } | { whole: 'match' | 'before' | 'after' };

/**
 * String.prototype.replace's GetSubstitution: $$ is "$", $& the match, $` and $' the text
 * before and after it, $n / $nn a group (two digits only when they name an existing group;
 * an unmatched group is empty), $<name> a named group (only when the pattern has named
 * groups; an unknown name is empty). Anything else, such as $0, stays as written.
 */
function parseReplacement(template: string, groupCount: number, namedGroups: Record<string, number>): ReplacementPart[] {
  const hasNames = Object.keys(namedGroups).length > 0;
  const parts: ReplacementPart[] = [];
  let literal = '';
  const push = (part: ReplacementPart | null) => {
    if (literal !== '') parts.push({ text: literal });
    literal = '';
    if (part !== null) parts.push(part);
  };
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    const next = template[i + 1];
    if (char !== '$' || next === undefined) {
      literal += char;
      continue;
    }
    if (next === '$') {
      literal += '$';
      i += 1;
    } else if (next === '&') {
      push({ whole: 'match' });
      i += 1;
    } else if (next === '`') {
      push({ whole: 'before' });
      i += 1;
    } else if (next === "'") {
      push({ whole: 'after' });
      i += 1;
    } else if (/[0-9]/.test(next)) {
      const two = /[0-9]/.test(template[i + 2] ?? '') ? Number(next + template[i + 2]) : 0;
      const one = Number(next);
      if (two >= 1 && two <= groupCount) {
        push({ group: two });
        i += 2;
      } else if (one >= 1 && one <= groupCount) {
        push({ group: one });
        i += 1;
      } else {
        literal += char;
      }
    } else if (next === '<' && hasNames) {
      const close = template.indexOf('>', i + 2);
      if (close < 0) {
        literal += char;
        continue;
      }
      const index = namedGroups[template.slice(i + 2, close)];
      // An unknown name is replaced by nothing, as in JavaScript.
      push(index === undefined ? null : { group: index });
      i = close;
    } else {
      literal += char;
    }
  }
  push(null);
  return parts;
}

export interface LinearRegex {
  /**
   * `text.replace(regex, replacement)` as JavaScript computes it for the pattern's flags: g
   * replaces every match, y only matches where the previous one ended (or at 0). Throws
   * OutputTooLargeError, before building it, when the result would exceed `maxLength`.
   */
  replace(text: string, maxLength: number): string;
}

/** Compiles a pattern (JavaScript syntax and flags) and its replacement template; throws UnsupportedRegexError. */
export function compileLinearRegex(pattern: string, flags: string, replacement: string): LinearRegex {
  const regex = compileRe2(pattern, flags);
  const parts = parseReplacement(replacement, regex.groupCount(), regex.namedGroups());
  const global = flags.includes('g');
  const sticky = flags.includes('y');
  let matcher: Matcher | null = null;

  const partLength = (part: ReplacementPart, m: Matcher, text: string): number => {
    if ('text' in part) return part.text.length;
    if ('whole' in part) return part.whole === 'match' ? m.end() - m.start() : part.whole === 'before' ? m.start() : text.length - m.end();
    const start = m.start(part.group);
    return start < 0 ? 0 : m.end(part.group) - start;
  };
  const partText = (part: ReplacementPart, m: Matcher, text: string): string => {
    if ('text' in part) return part.text;
    if ('whole' in part) return part.whole === 'match' ? text.slice(m.start(), m.end()) : part.whole === 'before' ? text.slice(0, m.start()) : text.slice(m.end());
    const start = m.start(part.group);
    return start < 0 ? '' : text.slice(start, m.end(part.group));
  };

  return {
    replace(text, maxLength) {
      // One matcher per compiled pattern, reset per value: transforms run synchronously.
      const m = matcher === null ? (matcher = regex.matcher(text)) : matcher.resetMatcherInput(text);
      let out = '';
      let appended = 0;
      let from = 0;
      while (from <= text.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        if (sticky && start !== from) break;
        let added = 0;
        for (const part of parts) added += partLength(part, m, text);
        const projected = out.length + (start - appended) + added + (text.length - end);
        if (projected > maxLength) throw new OutputTooLargeError(projected, maxLength);
        out += text.slice(appended, start);
        for (const part of parts) out += partText(part, m, text);
        appended = end;
        if (!global) break;
        // After an empty match the search moves on by one character (a whole surrogate pair).
        from = end > start ? end : end + (isSurrogatePairAt(text, end) ? 2 : 1);
      }
      return appended === 0 && out === '' ? text : out + text.slice(appended);
    },
  };
}

function isSurrogatePairAt(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  const low = text.charCodeAt(index + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
