/**
 * Wall-clock ⇄ instant conversion for IANA zones using only Intl (works in browsers and
 * Node, no tz database of our own). "Wall time" is expressed as the epoch milliseconds
 * the same calendar fields would have in UTC, so plain arithmetic works on it.
 *
 * Intl.formatToParts costs microseconds, far too slow for every row, so offsets are
 * cached per UTC day: a day whose first and last second share an offset is assumed to
 * have no transition (zones never change twice within a day and change back); for a
 * day that has one, the second it happens is found once by bisection.
 */
const DAY_MS = 86_400_000;
const MAX_CACHED_DAYS = 100_000;
const FIXED_UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Etc/Zulu', 'Zulu']);

/** The offset is `before` until the instant `switchAt`, `after` from then on. */
interface DayOffsets {
  before: number;
  after: number;
  switchAt: number;
}

export interface Zone {
  readonly name: string;
  /** null for UTC: no lookups needed. */
  readonly formatter: Intl.DateTimeFormat | null;
  /** Offsets per UTC day number. */
  readonly dayOffsets: Map<number, DayOffsets>;
}

const zones = new Map<string, Zone>();

export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Throws RangeError for unknown zones (validate with isValidTimeZone first). */
export function getZone(name: string): Zone {
  const known = zones.get(name);
  if (known !== undefined) return known;
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    numberingSystem: 'latn',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const resolved = formatter.resolvedOptions().timeZone;
  const zone: Zone = {
    name,
    formatter: FIXED_UTC_NAMES.has(resolved) || FIXED_UTC_NAMES.has(name) ? null : formatter,
    dayOffsets: new Map(),
  };
  zones.set(name, zone);
  return zone;
}

/** Epoch ms for calendar fields read as UTC; unlike Date.UTC, years 0–99 stay as given. */
export function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Offset (ms, east positive) of the zone at an instant. */
export function offsetAt(zone: Zone, instant: number): number {
  if (zone.formatter === null) return 0;
  const day = Math.floor(instant / DAY_MS);
  let offsets = zone.dayOffsets.get(day);
  if (offsets === undefined) {
    offsets = dayOffsets(zone.formatter, day);
    if (zone.dayOffsets.size >= MAX_CACHED_DAYS) zone.dayOffsets.clear();
    zone.dayOffsets.set(day, offsets);
  }
  return instant < offsets.switchAt ? offsets.before : offsets.after;
}

function dayOffsets(formatter: Intl.DateTimeFormat, day: number): DayOffsets {
  let low = day * DAY_MS;
  let high = low + DAY_MS - 1000;
  const before = exactOffset(formatter, low);
  const after = exactOffset(formatter, high);
  if (before === after) return { before, after, switchAt: Number.POSITIVE_INFINITY };
  // Invariant: offset(low) === before, offset(high) === after; whole seconds only.
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (exactOffset(formatter, middle) === before) low = middle;
    else high = middle;
  }
  return { before, after, switchAt: high };
}

export function instantToWallTime(zone: Zone, instant: number): number {
  return instant + offsetAt(zone, instant);
}

/**
 * The instant a wall time in the zone denotes. Follows Temporal's "compatible"
 * disambiguation, like java.time and most databases: a time repeated when clocks go
 * back takes the earlier instant; a time skipped when clocks go forward is read with
 * the offset before the change (02:30 in a 02:00→03:00 gap becomes 03:30).
 */
export function wallTimeToInstant(zone: Zone, wallTime: number): number {
  const before = offsetAt(zone, wallTime - DAY_MS);
  const after = offsetAt(zone, wallTime + DAY_MS);
  if (before === after) return wallTime - before;
  const withBefore = wallTime - before;
  const withAfter = wallTime - after;
  const beforeFits = offsetAt(zone, withBefore) === before;
  const afterFits = offsetAt(zone, withAfter) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
  if (afterFits) return withAfter;
  return withBefore;
}

function exactOffset(formatter: Intl.DateTimeFormat, instant: number): number {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatter.formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24; // some engines print midnight as 24
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000);
  return utcMillis(year, month, day, hour, minute, second) - wholeSecond;
}

const WALL_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A wall time without zone ("2024-07-01 10:00:00.123456", as a database writes a DATETIME
 * or a timestamp) read in the zone, as the ISO instant it denotes ("2024-07-01T08:00:00.123456Z"),
 * fraction digits kept. Null for text that is not such a wall time (BC years, 'infinity',
 * a text with its own offset): the caller leaves those alone.
 */
export function wallTextToInstantText(zone: Zone, text: string): string | null {
  const match = WALL_TIME_TEXT.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s = '00', fraction = ''] = match;
  const wall = utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wall)) return null;
  const instant = new Date(wallTimeToInstant(zone, wall));
  const year = instant.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  return (
    `${pad(year, 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}` +
    `T${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}${fraction}Z`
  );
}

/** UTC and its aliases: wall times in them need no conversion. */
export function isUtcZone(name: string): boolean {
  return getZone(name).formatter === null;
}
