import type { ColumnInfo } from '../connectors/connector';
import { isPlausibleEmail } from './transforms/email';
import { toText } from './value-text';

/**
 * What a sample of a source column's values says about where it can go: whether its values
 * are dates, numbers, emails, phone numbers, values of an enum, unique. Auto-map multiplies
 * a proposal's score by the evidence, so "total_amt holds numbers" ranks it for a numeric
 * column and "created_by holds user names" ranks it down for a timestamp.
 */
export interface ColumnProfile {
  /** Non-null values looked at. */
  seen: number;
  nulls: number;
  dates: number;
  numbers: number;
  integers: number;
  /** Most digits after the point among the numbers. */
  maxScale: number;
  booleans: number;
  emails: number;
  phones: number;
  maxLength: number;
  /** Distinct values, trimmed and lowercased. */
  distinct: Set<string>;
}

const NUMBER_TEXT = /^\s*[+-]?(\d+)(?:\.(\d+))?\s*$/;
// ISO dates and the usual legacy forms (31/12/2024, 12-31-2024 10:00, 2024.12.31), times optional.
const DATE_TEXT = /^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$/i;
const PHONE_TEXT = /^[\d\s()+.\-/]+$/;
const BOOLEAN_WORDS = new Set(['true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', '0', '1']);

export function profileColumn(values: readonly unknown[]): ColumnProfile {
  const profile: ColumnProfile = { seen: 0, nulls: 0, dates: 0, numbers: 0, integers: 0, maxScale: 0, booleans: 0, emails: 0, phones: 0, maxLength: 0, distinct: new Set() };
  for (const value of values) {
    if (value === null || value === undefined) {
      profile.nulls += 1;
      continue;
    }
    profile.seen += 1;
    if (value instanceof Date) {
      profile.dates += 1;
      profile.distinct.add(String(value.getTime()));
      continue;
    }
    if (typeof value === 'boolean') profile.booleans += 1;
    const text = toText(value);
    if (text === null) continue;
    const trimmed = text.trim();
    profile.distinct.add(trimmed.toLowerCase());
    profile.maxLength = Math.max(profile.maxLength, text.length);
    const number = typeof value === 'number' || typeof value === 'bigint' ? [null, trimmed, trimmed.split('.')[1]] : NUMBER_TEXT.exec(trimmed);
    if (number) {
      profile.numbers += 1;
      const fraction = number[2] ?? '';
      if (/^0*$/.test(fraction)) profile.integers += 1;
      profile.maxScale = Math.max(profile.maxScale, fraction.length);
    }
    if (typeof value === 'string' && BOOLEAN_WORDS.has(trimmed.toLowerCase())) profile.booleans += 1;
    if (DATE_TEXT.test(trimmed)) profile.dates += 1;
    if (trimmed.includes('@') && isPlausibleEmail(trimmed.toLowerCase())) profile.emails += 1;
    if (PHONE_TEXT.test(trimmed)) {
      const digits = trimmed.replace(/\D/g, '').length;
      if (digits >= 7 && digits <= 15) profile.phones += 1;
    }
  }
  return profile;
}

export interface Evidence {
  /** Multiplies the proposal's score: above 1 the values fit, below 1 they do not. */
  factor: number;
  /** What the values showed, for the proposal's reason; null when they say nothing. */
  note: string | null;
}

const NONE: Evidence = { factor: 1, note: null };
/** Fewer values than this say nothing. */
const MIN_SEEN = 3;

/**
 * How well a column's sampled values fit a target column. `concept` is the target name's
 * meaning (email, phone …, from the CRM synonyms), `isKey` whether it is (part of) the
 * target's primary key.
 */
export function valueEvidence(profile: ColumnProfile, target: ColumnInfo, concept: string | null, isKey: boolean): Evidence {
  if (profile.seen < MIN_SEEN) return NONE;
  const of = (count: number) => count / profile.seen;
  const counted = (count: number) => `${count} of ${profile.seen}`;
  const notes: string[] = [];
  let factor = 1;
  const weigh = (by: number, note: string) => {
    factor *= by;
    notes.push(note);
  };

  if (isKey) {
    if (profile.distinct.size < profile.seen) weigh(0.5, 'values repeat, a key cannot');
    else if (profile.nulls > 0) weigh(0.6, 'some values are null, a key cannot be');
    else weigh(1.05, 'values are unique');
  }
  switch (target.family) {
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      if (of(profile.dates) >= 0.8) weigh(1.05, `values are dates (${counted(profile.dates)})`);
      else if (of(profile.dates) <= 0.2) weigh(0.6, `values are not dates (${counted(profile.dates)})`);
      break;
    case 'integer':
      if (of(profile.integers) >= 0.9) weigh(1.05, `values are whole numbers (${counted(profile.integers)})`);
      else if (of(profile.numbers) >= 0.9) weigh(0.8, 'values have fractions');
      else if (of(profile.numbers) <= 0.2) weigh(0.5, `values are not numbers (${counted(profile.numbers)})`);
      break;
    case 'decimal':
    case 'float':
      if (of(profile.numbers) >= 0.9) {
        const scale = target.numericScale;
        if (target.family === 'decimal' && scale !== null && profile.maxScale > scale) weigh(0.95, `values have more than ${scale} decimals`);
        else weigh(1.05, `values are numbers (${counted(profile.numbers)})`);
      } else if (of(profile.numbers) <= 0.2) weigh(0.5, `values are not numbers (${counted(profile.numbers)})`);
      break;
    case 'boolean':
      if (of(profile.booleans) >= 0.9) weigh(1.05, 'values are true/false');
      else if (of(profile.booleans) <= 0.2) weigh(0.5, 'values are not true/false');
      break;
    case 'enum': {
      const allowed = new Set((target.enumValues ?? []).map((v) => v.toLowerCase()));
      const known = [...profile.distinct].filter((v) => allowed.has(v)).length;
      if (profile.distinct.size > 0 && known / profile.distinct.size >= 0.8) weigh(1.1, 'values are the enum’s');
      else notes.push(`values need a value map (${[...profile.distinct].slice(0, 4).join(', ')})`);
      break;
    }
    default:
      if (target.maxLength !== null && profile.maxLength > target.maxLength) weigh(0.9, `values longer than ${target.maxLength}`);
  }
  if (concept === 'email') {
    if (of(profile.emails) >= 0.8) weigh(1.1, `values are email addresses (${counted(profile.emails)})`);
    else if (of(profile.emails) <= 0.2) weigh(0.6, `values are not email addresses (${counted(profile.emails)})`);
  } else if (concept === 'phone') {
    if (of(profile.phones) >= 0.7) weigh(1.05, `values look like phone numbers (${counted(profile.phones)})`);
    else if (of(profile.phones) <= 0.2) weigh(0.6, 'values do not look like phone numbers');
  }
  return notes.length === 0 ? NONE : { factor, note: notes.join(', ') };
}
