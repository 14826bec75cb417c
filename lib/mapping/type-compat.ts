import type { TypeFamily } from '../connectors/connector';

/**
 * How well values of one type family go into a column of another without a transform:
 *  - 'exact' / 'safe': always works
 *  - 'lossy': works but may lose something (fraction, time of day, zone)
 *  - 'needs_conversion': works only for some values (text into integer…); add a transform
 *  - 'incompatible': never works (a date into a boolean)
 * Shared by the mapping checks (warnings) and auto-mapping (score penalties).
 */
export type Compatibility = 'exact' | 'safe' | 'lossy' | 'needs_conversion' | 'incompatible';

type Rules = Partial<Record<TypeFamily, Compatibility>>;

/** Per target family: which source families are not simply incompatible. */
const INTO: Record<TypeFamily, Rules> = {
  text: {
    integer: 'safe', decimal: 'safe', float: 'safe', boolean: 'safe', date: 'safe', timestamp: 'safe',
    timestamptz: 'safe', time: 'safe', json: 'safe', uuid: 'safe', enum: 'safe', set: 'safe', bit: 'safe',
    binary: 'needs_conversion', interval: 'needs_conversion', array: 'needs_conversion',
  },
  enum: { text: 'needs_conversion', integer: 'needs_conversion', set: 'needs_conversion' },
  set: { text: 'needs_conversion', enum: 'needs_conversion', array: 'needs_conversion' },
  // A SET copies as its list of members; text needs a split (or PostgreSQL's own '{a,b}' spelling).
  array: { set: 'safe', text: 'needs_conversion', json: 'needs_conversion' },
  integer: { boolean: 'safe', decimal: 'lossy', float: 'lossy', text: 'needs_conversion', enum: 'needs_conversion' },
  decimal: { integer: 'safe', float: 'lossy', text: 'needs_conversion', enum: 'needs_conversion' },
  float: { integer: 'safe', decimal: 'safe', text: 'needs_conversion', enum: 'needs_conversion' },
  boolean: { integer: 'needs_conversion', text: 'needs_conversion', enum: 'needs_conversion' },
  date: { timestamp: 'lossy', timestamptz: 'lossy', text: 'needs_conversion' },
  timestamp: { date: 'safe', timestamptz: 'lossy', text: 'needs_conversion' },
  timestamptz: { date: 'lossy', timestamp: 'lossy', text: 'needs_conversion' },
  time: { timestamp: 'lossy', timestamptz: 'lossy', text: 'needs_conversion', interval: 'needs_conversion' },
  // MySQL TIME is a duration (-838:59:59 … 838:59:59): an interval takes every value.
  interval: { time: 'safe', text: 'needs_conversion' },
  // MySQL BIT(n) is binary (its values are bytes): they copy as their n bits.
  bit: { binary: 'safe', boolean: 'needs_conversion', text: 'needs_conversion', integer: 'needs_conversion' },
  uuid: { text: 'needs_conversion', binary: 'needs_conversion' },
  json: { text: 'needs_conversion', integer: 'safe', decimal: 'safe', float: 'safe', boolean: 'safe', array: 'safe' },
  binary: { text: 'needs_conversion', uuid: 'needs_conversion' },
  other: {},
};

export function familyCompatibility(from: TypeFamily, to: TypeFamily): Compatibility {
  if (from === to) return 'exact';
  // 'other' is a type we cannot reason about: do not guess against it.
  if (from === 'other' || to === 'other') return 'safe';
  return INTO[to][from] ?? 'incompatible';
}
