import type pg from 'pg';
import type { ConstraintColumns, RehearsalLimits, WriteBatchRequest, WriteRehearsal } from '../connector';
import { readKeyRows } from '../sql/keyed-statements';
import type { PostgresPool } from './connection';
import { postgresDialect } from './dialect';
import { wrapPgError } from './wrap-error';
import { writePgBatch, type PgWriteTarget } from './write';

interface RehearsalTarget {
  /** The qualified "schema"."table" of a table name. */
  table: (name: string) => string;
  writeTarget: (name: string) => Promise<PgWriteTarget>;
  constraintColumns: (name: string) => Promise<ConstraintColumns>;
}

/**
 * Connector.rehearseWrites for PostgreSQL: one client, one transaction with the limits as
 * SET LOCAL, the session's reads and writes on that client, and a ROLLBACK whatever
 * happens (a client that cannot roll back is dropped, not reused). A call after the end
 * is refused; one already on its way starts with a SAVEPOINT, which PostgreSQL refuses
 * outside a transaction, so it cannot write either.
 */
export async function rehearsePgWrites<T>(pool: PostgresPool, target: RehearsalTarget, limits: RehearsalLimits, check: (session: WriteRehearsal) => Promise<T>): Promise<T> {
  try {
    return await pool.withClient(async (client, discard) => {
      let open = true;
      const onClient = async <R>(text: string, values: unknown[] = []): Promise<R[]> => {
        if (!open) throw new Error('The write rehearsal is over');
        try {
          return (await client.query(text, values)).rows as R[];
        } catch (err) {
          throw wrapPgError(err);
        }
      };
      try {
        await beginRehearsal(client, limits);
        return await check({
          readKeys: (name, keyColumns, columns, keys) => readKeyRows(onClient, postgresDialect, target.table(name), keyColumns, columns, keys),
          async writeBatch(req) {
            if (req.rows.length === 0) return { written: 0 };
            const into = await target.writeTarget(req.table);
            // Checked after the look-up: a write must not start once the rollback has.
            if (!open) throw new Error('The write rehearsal is over');
            await writePgBatchInSavepoint(client, into, req).catch((err: unknown) => {
              throw wrapPgError(err);
            });
            return { written: req.rows.length };
          },
          constraintColumns: target.constraintColumns,
        });
      } finally {
        open = false;
        await client.query('ROLLBACK').catch(discard);
      }
    });
  } catch (err) {
    throw wrapPgError(err);
  }
}

/** Opens the rehearsal's transaction. SET LOCAL ends with it: the pooled session keeps its own limits. */
async function beginRehearsal(client: pg.PoolClient, limits: RehearsalLimits): Promise<void> {
  const ms = (value: number) => Math.max(1, Math.round(value));
  await client.query('BEGIN');
  await client.query(`SET LOCAL statement_timeout = ${ms(limits.statementTimeoutMs)}; SET LOCAL lock_timeout = ${ms(limits.lockTimeoutMs)}`);
}

/**
 * One write of a rehearsal: writePgBatch's statements, all or nothing inside the open
 * transaction (a savepoint, so a refused write leaves the transaction usable), and checked
 * as its COMMIT would check it in a run: deferred constraints are checked at once, since a
 * rehearsal never commits. (They stay immediate for the rest of the rehearsal, which only
 * matters to a batch written in several statements, more rows than a preview has.)
 */
async function writePgBatchInSavepoint(client: pg.PoolClient, target: PgWriteTarget, req: WriteBatchRequest): Promise<void> {
  await client.query('SAVEPOINT ferry_rehearsal');
  try {
    await writePgBatch(client, target, req);
    await client.query('SET CONSTRAINTS ALL IMMEDIATE');
  } catch (err) {
    // If even this fails the session is lost: its error, not the row's, is what the caller needs.
    await client.query('ROLLBACK TO SAVEPOINT ferry_rehearsal; RELEASE SAVEPOINT ferry_rehearsal');
    throw err;
  }
  await client.query('RELEASE SAVEPOINT ferry_rehearsal');
}
