import type { CursorKind } from '../../connectors/connector';
import { getZone, instantToWallTime, wallTimeToInstant } from '../../mapping/zoned-time';

/**
 * Cursor values in the canonical text of connector.ts (CursorKind): timestamps as
 * 'YYYY-MM-DD HH:MM:SS.ffffff', integers as decimal text. Pure: compare them, and turn an
 * instant of the source's clock into a value of the cursor's own terms.
 */

const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;
const INTEGER = /^-?\d+$/;

/** Throws unless `value` is a canonical cursor text of this kind (a stored checkpoint of another kind, say). */
export function assertCursorValue(value: string, kind: CursorKind): void {
  const ok = kind === 'integer' ? INTEGER.test(value) : CANONICAL_TIMESTAMP.test(value);
  if (!ok) throw new Error(`"${value}" is not a ${kind === 'integer' ? 'integer' : 'timestamp'} cursor value`);
}

/** Negative, zero or positive as a is before, equal to or after b. */
export function compareCursor(a: string, b: string, kind: CursorKind): number {
  if (kind === 'integer') {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Fixed width for years 0000–9999: text order is time order.
  return a < b ? -1 : a > b ? 1 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch milliseconds of the source clock's text ('YYYY-MM-DDTHH:MM:SS.ffffffZ'), microseconds dropped. */
export function instantMillis(instantText: string): number {
  const ms = Date.parse(instantText);
  if (Number.isNaN(ms)) throw new Error(`"${instantText}" is not an instant`);
  return ms;
}

/**
 * The instant `ms` as a value of a timestamp cursor: in UTC for 'instant', as the wall time
 * of `zone` for 'wall_time' (so the zone's offset, daylight saving included, is applied).
 */
export function cursorAtInstant(ms: number, kind: Exclude<CursorKind, 'integer'>, zone: string): string {
  const d = new Date(kind === 'wall_time' ? instantToWallTime(getZone(zone), ms) : ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`
  );
}

/**
 * The instant (epoch ms) a timestamp cursor value stands for: the change time the delay D
 * starts from in cursor mode. Null for integer cursors, which carry no time.
 */
export function cursorInstant(value: string, kind: CursorKind, zone: string): number | null {
  if (kind === 'integer' || !CANONICAL_TIMESTAMP.test(value)) return null;
  const asUtc = Date.parse(`${value.slice(0, 10)}T${value.slice(11, 23)}Z`);
  return kind === 'wall_time' ? wallTimeToInstant(getZone(zone), asUtc) : asUtc;
}
