import type { ColumnInfo } from '../connectors/connector';

/** A column's CHECK rule as a predicate: null when the value passes, else why not. */
export type CheckRule = (value: unknown) => string | null;

/**
 * The parts of a one-column CHECK constraint (ColumnInfo.checks, as PostgreSQL's
 * pg_get_constraintdef prints it) that can be judged exactly in memory: comparisons of the
 * column with a number (`priority >= 1`, `amount >= (0)::numeric`), equality with text, and
 * membership (`method = ANY (ARRAY['card'::text, …])`), joined by AND. A row that breaks one
 * is an error row before any write, as the database would refuse it, so the preview says so
 * and the copy's plain insert is not refused and halved batch after batch for it. Anything
 * else (OR, functions, regexes, casts of the column) is left to the database, which stays
 * the judge: a rule is only ever a subset of the constraint, so it never refuses a row the
 * database would take. NULL passes, as in SQL.
 */
export function compileCheckRules(column: ColumnInfo): CheckRule[] {
  const rules: CheckRule[] = [];
  for (const check of column.checks ?? []) {
    const conjuncts = splitConjuncts(stripCheck(check.definition));
    if (conjuncts === null) continue;
    for (const conjunct of conjuncts) {
      const rule = parseConjunct(conjunct, column, check.name);
      if (rule) rules.push(rule);
    }
  }
  return rules;
}

const NUMERIC = new Set(['integer', 'decimal', 'float']);

function stripCheck(definition: string): string {
  const body = definition.trim().replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
  return stripParens(body);
}

/** Removes parentheses that wrap the whole text. */
function stripParens(text: string): string {
  let current = text.trim();
  while (current.startsWith('(') && closingParen(current, 0) === current.length - 1) current = current.slice(1, -1).trim();
  return current;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The AND-ed parts at the top level; null when the expression has an OR or NOT there (it cannot be split safely). */
function splitConjuncts(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) {
      const rest = text.slice(i);
      if (/^\s(OR|NOT)\s/i.test(rest)) return null;
      const and = /^\sAND\s/i.exec(rest);
      if (and) {
        parts.push(stripParens(text.slice(start, i)));
        start = i + and[0].length;
        i += and[0].length - 1;
      }
    }
  }
  if (depth !== 0 || quoted) return null;
  parts.push(stripParens(text.slice(start)));
  return parts;
}

const IDENT = String.raw`("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const NUMBER_LITERAL = String.raw`(?:\(?\s*'?(-?\d+(?:\.\d+)?)'?\s*\)?(?:::[a-z ]+)?)`;
const TEXT_LITERAL = String.raw`'((?:[^']|'')*)'(?:::[a-z ]+)?`;

function identName(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
}

function parseConjunct(text: string, column: ColumnInfo, constraint: string): CheckRule | null {
  const comparison = new RegExp(`^${IDENT}\\s*(>=|<=|<>|!=|=|>|<)\\s*${NUMBER_LITERAL}$`, 'i').exec(text);
  if (comparison && identName(comparison[1]) === column.name && NUMERIC.has(column.family)) {
    const op = comparison[2];
    const bound = Number(comparison[3]);
    return (value) => {
      const n = numberOf(value);
      if (n === null) return null;
      return compare(n, op, bound) ? null : `"${column.name}" = ${n} breaks the target's CHECK ${constraint} (${column.name} ${op} ${comparison[3]})`;
    };
  }
  const members = new RegExp(`^${IDENT}\\s*=\\s*ANY\\s*\\(\\s*\\(?ARRAY\\[(.*)\\]\\)?(?:::[a-z ]+\\[\\])?\\s*\\)$`, 'i').exec(text);
  if (members && identName(members[1]) === column.name && textLike(column)) {
    const allowed = parseTextList(members[2]);
    if (allowed === null) return null;
    const set = new Set(allowed);
    return (value) => {
      if (value === null || value === undefined) return null;
      return set.has(String(value)) ? null : `"${column.name}" = ${JSON.stringify(String(value))} breaks the target's CHECK ${constraint} (one of ${allowed.join(', ')})`;
    };
  }
  return null;
}

/** Plain text columns only: char(n) compares without trailing blanks, and other types have their own text forms. */
function textLike(column: ColumnInfo): boolean {
  return (column.family === 'text' && !/^(character\(|char\(|bpchar)/i.test(column.dataType)) || column.family === 'enum';
}

function parseTextList(list: string): string[] | null {
  const items: string[] = [];
  const pattern = new RegExp(`\\s*${TEXT_LITERAL}\\s*(,|$)`, 'iy');
  let at = 0;
  while (at < list.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(list);
    if (!match) return null;
    items.push(match[1].replace(/''/g, "'"));
    at = pattern.lastIndex;
    if (match[2] === '') break;
  }
  return items.length > 0 ? items : null;
}

function numberOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  // Beyond 2^53 a number is approximate: the database judges those.
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : null;
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  if (typeof value === 'string' && /^\s*-?\d{1,15}(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

function compare(n: number, op: string, bound: number): boolean {
  switch (op) {
    case '>=': return n >= bound;
    case '<=': return n <= bound;
    case '>': return n > bound;
    case '<': return n < bound;
    case '=': return n === bound;
    default: return n !== bound;
  }
}
