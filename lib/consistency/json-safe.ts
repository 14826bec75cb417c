import type { Prisma } from '../db/client';

/** JSON for PostgreSQL: bigint, binary and Dates made portable. */
export const jsonSafe = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value ?? null, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
  ) as Prisma.InputJsonValue;
