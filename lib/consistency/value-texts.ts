/**
 * Parsers for the texts databases and drivers hand verification, each to one canonical
 * value: PostgreSQL array literals, times of day and MySQL durations, intervals. Null for
 * text of another shape (the comparer then compares the text as it is).
 */

// ---- arrays ---------------------------------------------------------------------------------

export type ArrayItem = string | null | ArrayItem[];

/**
 * A PostgreSQL array literal ('{red,"a b",NULL,{1,2}}', the text form an array is read or
 * written in) as nested lists of element texts, NULL as null. Null when the text is not one.
 */
export function parseArrayLiteral(text: string): ArrayItem[] | null {
  let at = 0;
  const source = text.trim().replace(/^\[[^\]]*\](?:\[[^\]]*\])*=/, ''); // dimension decoration: [1:2]={…}
  const skipBlanks = () => {
    while (at < source.length && /\s/.test(source[at])) at++;
  };
  const list = (): ArrayItem[] | null => {
    if (source[at] !== '{') return null;
    at++;
    const items: ArrayItem[] = [];
    skipBlanks();
    if (source[at] === '}') {
      at++;
      return items;
    }
    for (;;) {
      skipBlanks();
      let item: ArrayItem;
      if (source[at] === '{') {
        const inner = list();
        if (inner === null) return null;
        item = inner;
      } else if (source[at] === '"') {
        at++;
        let out = '';
        while (at < source.length && source[at] !== '"') {
          if (source[at] === '\\') at++;
          out += source[at] ?? '';
          at++;
        }
        if (source[at] !== '"') return null;
        at++;
        item = out;
      } else {
        let out = '';
        while (at < source.length && source[at] !== ',' && source[at] !== '}') {
          if (source[at] === '\\') at++;
          out += source[at] ?? '';
          at++;
        }
        out = out.trim();
        item = out.toUpperCase() === 'NULL' ? null : out;
      }
      items.push(item);
      skipBlanks();
      if (source[at] === ',') {
        at++;
        continue;
      }
      if (source[at] === '}') {
        at++;
        return items;
      }
      return null;
    }
  };
  const parsed = list();
  skipBlanks();
  return parsed !== null && at === source.length ? parsed : null;
}

// ---- times of day and durations --------------------------------------------------------------

const TIME_TEXT = /^([+-])?(\d+):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

export interface TimeValue {
  /** Signed microseconds: a time of day, or a MySQL TIME duration (-838:59:59 … 838:59:59). */
  micros: bigint;
  /** The fraction's digits as written (rounding to a column's precision needs the rest). */
  fraction: string;
  /** timetz: seconds east of UTC; null without an offset. */
  offsetSeconds: number | null;
}

/** '10:00:01.5', '-838:59:59.000000', '10:00:01+02', '24:00:00'. */
export function parseTime(text: string): TimeValue | null {
  const match = TIME_TEXT.exec(text.trim());
  if (match === null) return null;
  const [, sign, h, mi, s = '0', fraction = '', offsetSign, oh, om = '0', os = '0'] = match;
  const seconds = BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s);
  const micros = seconds * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
  const offset = offsetSign === undefined ? null : (offsetSign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  return { micros: sign === '-' ? -micros : micros, fraction, offsetSeconds: offset };
}

// ---- intervals ---------------------------------------------------------------------------------

/** An interval as PostgreSQL keeps it: months, days and microseconds, each with its sign. */
export interface IntervalValue {
  months: number;
  days: number;
  micros: bigint;
}

const UNIT_WORDS: Record<string, 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds' | 'ms' | 'us'> = {
  y: 'years', yr: 'years', yrs: 'years', year: 'years', years: 'years',
  mon: 'months', mons: 'months', month: 'months', months: 'months',
  w: 'weeks', week: 'weeks', weeks: 'weeks',
  d: 'days', day: 'days', days: 'days',
  h: 'hours', hr: 'hours', hrs: 'hours', hour: 'hours', hours: 'hours',
  m: 'minutes', min: 'minutes', mins: 'minutes', minute: 'minutes', minutes: 'minutes',
  s: 'seconds', sec: 'seconds', secs: 'seconds', second: 'seconds', seconds: 'seconds',
  ms: 'ms', msec: 'ms', msecs: 'ms', millisecond: 'ms', milliseconds: 'ms',
  us: 'us', usec: 'us', usecs: 'us', microsecond: 'us', microseconds: 'us',
};

const ISO_INTERVAL = /^(-)?P(?:(-?[\d.]+)Y)?(?:(-?[\d.]+)M)?(?:(-?[\d.]+)W)?(?:(-?[\d.]+)D)?(?:T(?:(-?[\d.]+)H)?(?:(-?[\d.]+)M)?(?:(-?[\d.]+)S)?)?$/i;

/** Seconds as text ('6.7', '-1.5') to microseconds, exactly. */
function secondsToMicros(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const micros = BigInt(whole || '0') * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
  return negative ? -micros : micros;
}

class IntervalBuilder {
  months = 0;
  days = 0;
  micros = 0n;
  add(amount: string, unit: (typeof UNIT_WORDS)[string]): void {
    const n = Number(amount);
    // PostgreSQL carries fractions down: a year to months, a month to 30 days, a day to 24 hours.
    switch (unit) {
      case 'years':
        this.months += Math.trunc(n * 12);
        return;
      case 'months': {
        this.months += Math.trunc(n);
        const days = (n - Math.trunc(n)) * 30;
        this.days += Math.trunc(days);
        this.micros += BigInt(Math.round((days - Math.trunc(days)) * 86_400_000_000));
        return;
      }
      case 'weeks':
      case 'days': {
        const total = unit === 'weeks' ? n * 7 : n;
        this.days += Math.trunc(total);
        this.micros += BigInt(Math.round((total - Math.trunc(total)) * 86_400_000_000));
        return;
      }
      case 'hours':
        this.micros += secondsToMicros(amount) * 3600n;
        return;
      case 'minutes':
        this.micros += secondsToMicros(amount) * 60n;
        return;
      case 'seconds':
        this.micros += secondsToMicros(amount);
        return;
      case 'ms':
        this.micros += BigInt(Math.round(n * 1000));
        return;
      case 'us':
        this.micros += BigInt(Math.round(n));
        return;
    }
  }
  negate(): void {
    this.months = -this.months;
    this.days = -this.days;
    this.micros = -this.micros;
  }
  value(): IntervalValue {
    return { months: this.months, days: this.days, micros: this.micros };
  }
}

/**
 * PostgreSQL's interval output ('1 year 2 mons 3 days 04:05:06.7', '-1 days +02:00:00'),
 * its verbose and ISO 8601 input forms, a MySQL TIME duration ('-10:00:01.5'), or the pg
 * driver's interval object.
 */
export function parseInterval(value: unknown): IntervalValue | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return intervalOfObject(value as Record<string, unknown>);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const iso = ISO_INTERVAL.exec(text);
  if (iso !== null && text.length > 1) {
    const builder = new IntervalBuilder();
    const [, negative, y, mo, w, d, h, mi, s] = iso;
    for (const [amount, unit] of [[y, 'years'], [mo, 'months'], [w, 'weeks'], [d, 'days'], [h, 'hours'], [mi, 'minutes'], [s, 'seconds']] as const) {
      if (amount !== undefined) builder.add(amount, unit);
    }
    if (negative) builder.negate();
    return builder.value();
  }
  const builder = new IntervalBuilder();
  let rest = text.replace(/^@\s*/, '');
  const ago = /\s+ago$/i.test(rest);
  if (ago) rest = rest.replace(/\s+ago$/i, '');
  const tokens = rest.split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 0) return null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const time = /^[+-]?\d+:\d{2}(:\d{2}(\.\d+)?)?$/.test(token) ? parseTime(token) : null;
    if (time !== null) {
      builder.micros += time.micros;
      continue;
    }
    const joined = /^([+-]?\d+(?:\.\d+)?)([a-z]+)$/i.exec(token);
    const amount = joined ? joined[1] : token;
    const word = (joined ? joined[2] : tokens[++i] ?? '').toLowerCase();
    const unit = UNIT_WORDS[word];
    if (!/^[+-]?\d+(\.\d+)?$/.test(amount) || unit === undefined) return null;
    builder.add(amount, unit);
  }
  if (ago) builder.negate();
  return builder.value();
}

function intervalOfObject(object: Record<string, unknown>): IntervalValue | null {
  const field = (name: string) => (typeof object[name] === 'number' ? (object[name] as number) : 0);
  if (!['years', 'months', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'].some((name) => name in object) && Object.keys(object).length > 0) return null;
  const seconds = field('hours') * 3600 + field('minutes') * 60 + field('seconds');
  return {
    months: field('years') * 12 + field('months'),
    days: field('days'),
    micros: BigInt(seconds) * 1_000_000n + BigInt(Math.round(field('milliseconds') * 1000)),
  };
}
