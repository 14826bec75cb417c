import type pg from 'pg';
import { quotePgIdent } from '../quote-ident';
import { assertCaptureName } from './capture-names';
import { ReplicationError, classifyReplicationError } from './replication-error';

export interface CapturedTable {
  schema: string;
  table: string;
}

interface TableRow {
  schema: string;
  table: string;
  relkind: string | null;
  relreplident: string | null;
  has_primary_key: boolean;
}

/**
 * Creates the publication (`CREATE PUBLICATION … FOR TABLE …`, all of insert, update,
 * delete and truncate), or sets its tables to exactly `tables` (left alone when they already
 * are). Run it BEFORE createSlot:
 * pgoutput reads publications as of each change's position in the log, so changes logged
 * before the publication existed fail with "publication … does not exist".
 *
 * A table without a replica identity (no primary key under REPLICA IDENTITY DEFAULT, or
 * NOTHING) is refused: once published, every UPDATE and DELETE on it would fail in the
 * source application. The error names the fix (a primary key, or REPLICA IDENTITY FULL).
 */
export async function ensurePublication(client: pg.ClientBase, publicationName: string, tables: CapturedTable[]): Promise<void> {
  assertCaptureName(publicationName);
  if (tables.length === 0) throw new Error('A publication needs at least one table');
  try {
    const { rows } = await client.query<TableRow>(
      `SELECT t.schema, t.table, c.relkind::text, c.relreplident::text,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_primary_key
         FROM unnest($1::text[], $2::text[]) AS t(schema, "table")
         LEFT JOIN pg_namespace n ON n.nspname = t.schema
         LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table`,
      [tables.map((t) => t.schema), tables.map((t) => t.table)],
    );
    for (const row of rows) {
      const name = `${row.schema}.${row.table}`;
      if (!row.relkind || !['r', 'p'].includes(row.relkind)) {
        throw new ReplicationError('not_supported', `Table ${name} does not exist (or is not a table): it cannot be captured`, false);
      }
      if (row.relreplident === 'n' || (row.relreplident === 'd' && !row.has_primary_key)) {
        throw new ReplicationError(
          'not_supported',
          `Table ${name} has no replica identity: publishing it would make every UPDATE and DELETE on it fail in the source. ` +
            `Add a primary key, or run ALTER TABLE ${quotePgIdent(row.schema)}.${quotePgIdent(row.table)} REPLICA IDENTITY FULL`,
          false,
        );
      }
    }
    const list = tables.map((t) => `${quotePgIdent(t.schema)}.${quotePgIdent(t.table)}`).join(', ');
    const exists = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publicationName]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`CREATE PUBLICATION ${quotePgIdent(publicationName)} FOR TABLE ${list}`);
        return;
      } catch (err) {
        // Created meanwhile by another worker: fall through and set its tables.
        if ((err as { code?: string }).code !== '42710') throw err;
      }
    }
    // A publication that already covers exactly these tables stays as it is: a table owner
    // may have created it for a user who may not alter it (the prerequisite check's advice).
    const published = await client.query<{ schemaname: string; tablename: string }>(
      'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1',
      [publicationName],
    );
    const wanted = new Set(tables.map((t) => `${t.schema}.${t.table}`));
    const current = new Set(published.rows.map((r) => `${r.schemaname}.${r.tablename}`));
    if (current.size === wanted.size && [...wanted].every((name) => current.has(name))) return;
    await client.query(`ALTER PUBLICATION ${quotePgIdent(publicationName)} SET TABLE ${list}`);
  } catch (err) {
    throw classifyReplicationError(err);
  }
}

/** Drops the publication if it exists. */
export async function dropPublication(client: pg.ClientBase, publicationName: string): Promise<void> {
  assertCaptureName(publicationName);
  try {
    await client.query(`DROP PUBLICATION IF EXISTS ${quotePgIdent(publicationName)}`);
  } catch (err) {
    throw classifyReplicationError(err);
  }
}
