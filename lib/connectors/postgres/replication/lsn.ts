/**
 * Log sequence numbers as PostgreSQL prints them ("16/B374D848": two hexadecimal halves,
 * upper-case, no padding), so a stored position compares as text with what
 * pg_replication_slots shows. Arithmetic and comparison go through bigint.
 */
export type Lsn = string;

export const ZERO_LSN: Lsn = '0/0';

const LSN_TEXT = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

export function isLsn(text: string): boolean {
  return LSN_TEXT.test(text);
}

export function lsnToBigInt(lsn: Lsn): bigint {
  if (!LSN_TEXT.test(lsn)) throw new Error(`Not a log sequence number: "${lsn}"`);
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

export function lsnFromBigInt(value: bigint): Lsn {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Normalizes spelling ("00000016/0000ab" → "16/AB"). */
export function formatLsn(lsn: Lsn): Lsn {
  return lsnFromBigInt(lsnToBigInt(lsn));
}

/** Negative, zero or positive like a sort comparator. */
export function compareLsn(a: Lsn, b: Lsn): number {
  const x = lsnToBigInt(a);
  const y = lsnToBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const maxLsn = (a: Lsn, b: Lsn): Lsn => (compareLsn(a, b) >= 0 ? a : b);
