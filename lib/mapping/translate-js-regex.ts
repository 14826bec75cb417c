/**
 * Rewrites a JavaScript regular expression (as users write it in a regex_replace
 * transform, already accepted by `new RegExp`) into RE2 syntax for the linear-time engine
 * (linear-regex.ts), keeping JavaScript's meaning where the two differ: `\s` and `.` keep
 * JavaScript's character sets, `\uXXXX` and `\cX` escapes become code points, `(?<name>`
 * becomes `(?P<name>`, `[` inside a class stays a literal (RE2 would read `[:alpha:]`).
 *
 * What RE2 cannot run in linear time is refused with a reason for the user: backreferences
 * (`\1`, `\k<name>`), lookahead and lookbehind, and legacy octal escapes (`\01`), which
 * JavaScript cannot tell apart from backreferences either. The remaining differences are
 * small and documented in the README: text is always read as Unicode code points (as with
 * the u flag), and with the m flag only \n ends a line.
 */
export type TranslatedRegex = { ok: true; source: string } | { ok: false; reason: string };

/** JavaScript's \s: ECMAScript WhiteSpace and LineTerminator, as code point ranges. */
const JS_SPACE: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

const hex = (codePoint: number) => `\\x{${codePoint.toString(16).toUpperCase()}}`;
const rangeText = ([from, to]: readonly [number, number]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`);

function complement(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) result.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
}

/** Class bodies (without brackets), usable inside a class too: RE2 cannot negate a set inside one. */
const SPACE_BODY = JS_SPACE.map(rangeText).join('');
const NON_SPACE_BODY = complement(JS_SPACE).map(rangeText).join('');
const ANY = `[${hex(0)}-${hex(MAX_CODE_POINT)}]`;
const NOTHING = `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;
/** `.` without the s flag: anything but JavaScript's line terminators. */
const DOT = `[^${hex(0x0a)}${hex(0x0d)}${hex(0x2028)}${hex(0x2029)}]`;

const CONTROL_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const isHex = (text: string) => /^[0-9a-fA-F]+$/.test(text);

const BACKREFERENCE =
  "uses a backreference, which the linear-time regex engine cannot run: it could make one value take hours. Match the text without referring back to a group";
const LOOKAROUND = (kind: string) =>
  `uses a ${kind}, which the linear-time regex engine cannot run. Match the surrounding text and put it back with a group ($1) instead`;

export function translateJsRegex(pattern: string, flags: string): TranslatedRegex {
  const unicode = flags.includes('u');
  const dotAll = flags.includes('s');
  let out = '';
  let i = 0;
  let inClass = false;

  /** An escape's code point (\uXXXX, \u{X}, \xHH, \cX), or null when the escape is something else. */
  const codePointEscape = (at: number): { codePoint: number; length: number } | null => {
    const kind = pattern[at + 1];
    if (kind === 'u') {
      if (unicode && pattern[at + 2] === '{') {
        const close = pattern.indexOf('}', at + 3);
        const digits = pattern.slice(at + 3, close);
        if (close > 0 && isHex(digits)) return { codePoint: parseInt(digits, 16), length: close - at + 1 };
        return null;
      }
      const digits = pattern.slice(at + 2, at + 6);
      if (digits.length !== 4 || !isHex(digits)) return null;
      const unit = parseInt(digits, 16);
      // A surrogate pair written as two escapes is one character.
      if (unit >= 0xd800 && unit <= 0xdbff && pattern.startsWith('\\u', at + 6) && isHex(pattern.slice(at + 8, at + 12)) && pattern.slice(at + 8, at + 12).length === 4) {
        const low = parseInt(pattern.slice(at + 8, at + 12), 16);
        if (low >= 0xdc00 && low <= 0xdfff) return { codePoint: 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), length: 12 };
      }
      return { codePoint: unit, length: 6 };
    }
    if (kind === 'x') {
      const digits = pattern.slice(at + 2, at + 4);
      return digits.length === 2 && isHex(digits) ? { codePoint: parseInt(digits, 16), length: 4 } : null;
    }
    if (kind === 'c') {
      const letter = pattern[at + 2];
      return letter !== undefined && /[A-Za-z]/.test(letter) ? { codePoint: letter.charCodeAt(0) % 32, length: 3 } : null;
    }
    return null;
  };

  while (i < pattern.length) {
    const char = pattern[i];

    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { ok: false, reason: 'ends with a lone backslash' };
      const code = codePointEscape(i);
      if (code !== null) {
        out += hex(code.codePoint);
        i += code.length;
        continue;
      }
      i += 2;
      if (/[1-9]/.test(next)) return { ok: false, reason: inClass ? 'uses a legacy octal escape; write \\x41 or \\u0041 instead' : BACKREFERENCE };
      if (next === '0') {
        if (/[0-9]/.test(pattern[i] ?? '')) return { ok: false, reason: 'uses a legacy octal escape; write \\x41 or \\u0041 instead' };
        out += hex(0);
      } else if (next === 'k' && pattern[i] === '<') return { ok: false, reason: BACKREFERENCE };
      else if (next === 's') out += inClass ? SPACE_BODY : `[${SPACE_BODY}]`;
      else if (next === 'S') out += inClass ? NON_SPACE_BODY : `[${NON_SPACE_BODY}]`;
      else if (next === 'b' && inClass) out += hex(0x08);
      else if (next === 'B' && inClass) out += 'B';
      else if ('dDwWbB'.includes(next)) out += `\\${next}`;
      // \c without a letter is a backslash and a c, as JavaScript reads it outside the u flag.
      else if (next === 'c') out += '\\\\c';
      else if (next in CONTROL_ESCAPES) out += hex(CONTROL_ESCAPES[next]);
      else if ((next === 'p' || next === 'P') && unicode && pattern[i] === '{') {
        const close = pattern.indexOf('}', i);
        // JavaScript spells scripts and categories with a key (Script=Greek); RE2 by the value alone.
        const property = pattern.slice(i + 1, close).replace(/^(Script|sc|General_Category|gc)=/, '');
        out += `\\${next}{${property}}`;
        i = close + 1;
      } else if (ASCII_PUNCTUATION.test(next)) out += `\\${next}`;
      // An identity escape (\a, \é without the u flag) is the character itself; RE2 gives some of them other meanings.
      else out += next;
      continue;
    }

    if (inClass) {
      if (char === ']') inClass = false;
      // A [ inside a class is a literal in JavaScript; RE2 could read [:alpha:] as a named class.
      out += char === '[' ? '\\[' : char;
      i += 1;
      continue;
    }

    if (char === '[') {
      // JavaScript's [] matches nothing and [^] anything; RE2 has no empty class.
      if (pattern.startsWith('[]', i)) {
        out += NOTHING;
        i += 2;
      } else if (pattern.startsWith('[^]', i)) {
        out += ANY;
        i += 3;
      } else {
        inClass = true;
        const negated = pattern[i + 1] === '^';
        out += negated ? '[^' : '[';
        i += negated ? 2 : 1;
        // A ] right at the start is a literal to RE2 but closes an empty class in JavaScript (handled above).
      }
      continue;
    }

    if (char === '(' && pattern[i + 1] === '?') {
      if (pattern.startsWith('(?=', i)) return { ok: false, reason: LOOKAROUND('lookahead (?=…)') };
      if (pattern.startsWith('(?!', i)) return { ok: false, reason: LOOKAROUND('negative lookahead (?!…)') };
      if (pattern.startsWith('(?<=', i)) return { ok: false, reason: LOOKAROUND('lookbehind (?<=…)') };
      if (pattern.startsWith('(?<!', i)) return { ok: false, reason: LOOKAROUND('negative lookbehind (?<!…)') };
      if (pattern.startsWith('(?<', i)) {
        out += '(?P<';
        i += 3;
        continue;
      }
    }

    if (char === '.') out += dotAll ? ANY : DOT;
    else out += char;
    i += 1;
  }
  return { ok: true, source: out };
}
