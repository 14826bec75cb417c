/**
 * PostgreSQL's `integer`, the type of serial ids (error rows, differences, audit entries)
 * and of version numbers. A larger number names no row, and the query would fail on it:
 * schemas for such numbers stop at this bound.
 */
export const MAX_DB_INTEGER = 2_147_483_647;
export const tooLarge = `must be at most ${MAX_DB_INTEGER}`;
