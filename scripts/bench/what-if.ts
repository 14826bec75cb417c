import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Connector, WriteBatchRequest } from '@/lib/connectors/connector';
import { describePgTable, type PgTableShape } from '@/lib/connectors/postgres-catalog';
import { csvField } from '@/lib/connectors/postgres-copy';
import { COPY_MIN_ROWS, normalizePgValue } from '@/lib/connectors/postgres-write';
import type { BatchOutcome } from '@/lib/engine/save-checkpoint';
import { keyText } from '@/lib/engine/key-text';

/**
 * Prototypes of engine changes, used only by the profile to measure what they would gain
 * (nothing here is used by the benchmark's real migration, which runs the engine as is).
 */

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Staging column types that keep the column's length: format_type(oid, NULL) spells
 * bpchar as "character", which PostgreSQL reads as character(1) (likewise bit = bit(1)).
 */
export function fixedCastType(castType: string): string {
  if (castType === 'character') return 'bpchar';
  if (castType === 'bit') return 'varbit';
  return castType;
}

export interface WhatIfWriter {
  connector: Connector;
  /** Rows the unique pre-check kept out of the INSERT (they would be error rows). */
  refused: number;
  close(): Promise<void>;
}

/**
 * The target connector with the COPY upsert path as postgres-copy.ts does it, but with
 * staging types from fixedCastType, and optionally a pre-check of the target's other
 * unique constraints (here: email) inside the staging table, so a colliding row is
 * dropped (and would be reported) instead of failing the batch and bisecting it.
 */
export async function whatIfWriter(target: Connector, databaseUrl: string, options: { uniquePrecheck: boolean }): Promise<WhatIfWriter> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
  const shapes = new Map<string, PgTableShape>();
  const uniques = new Map<string, string[][]>();
  const state: WhatIfWriter = {
    refused: 0,
    close: () => client.end(),
    connector: {
      ...target,
      async writeBatch(req: WriteBatchRequest) {
        if (req.mode !== 'upsert' || req.rows.length < COPY_MIN_ROWS) return target.writeBatch(req);
        let shape = shapes.get(req.table);
        if (!shape) {
          shape = await describePgTable(async (text, values) => (await client.query(text, values)).rows, 'public', req.table);
          shapes.set(req.table, shape);
          const keySet = [...req.keyColumns].sort().join(',');
          uniques.set(req.table, [shape.detail.primaryKey, ...shape.detail.uniqueConstraints.map((u) => u.columns)].filter((cols) => [...cols].sort().join(',') !== keySet && cols.every((c) => req.columns.includes(c))));
        }
        const families = req.columns.map((c) => shape.detail.columns.find((col) => col.name === c)?.family ?? 'other');
        const casts = req.columns.map((c) => fixedCastType(shape.castTypes.get(c) ?? 'text'));
        const cols = req.columns.map(q).join(', ');
        const stage = q(`whatif_stage_${req.table}`);
        const keys = req.keyColumns.map(q).join(', ');
        const updates = req.columns.filter((c) => !req.keyColumns.includes(c)).map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ');
        function* csv(): Generator<string> {
          let piece = '';
          for (const row of req.rows) {
            piece += row.map((v, i) => csvField(normalizePgValue(v, families[i]))).join(',') + '\n';
            if (piece.length >= 256 * 1024) {
              yield piece;
              piece = '';
            }
          }
          if (piece) yield piece;
        }
        await client.query('BEGIN');
        try {
          await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${req.columns.map((c, i) => `${q(c)} ${casts[i]}`).join(', ')}) ON COMMIT DELETE ROWS`);
          await pipeline(Readable.from(csv()), client.query(copyFrom(`COPY ${stage} (${cols}) FROM STDIN WITH (FORMAT csv)`)));
          let refused = 0;
          if (options.uniquePrecheck) {
            // Statistics first: without them the planner nests loops over the stage.
            await client.query(`ANALYZE ${stage}`);
            const keyList = req.keyColumns.map(q).join(', ');
            for (const unique of uniques.get(req.table) ?? []) {
              const u = unique.map(q).join(', ');
              const notNull = unique.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
              const r = await client.query(
                `DELETE FROM ${stage} WHERE ctid IN (
                   SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY ${u} ORDER BY ${keyList}) AS n FROM ${stage} WHERE ${notNull}) d WHERE n > 1
                   UNION ALL
                   SELECT s.ctid FROM ${stage} s JOIN ${q(req.table)} t ON ${unique.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ')}
                    WHERE (${req.keyColumns.map((k) => `t.${q(k)}`).join(', ')}) IS DISTINCT FROM (${req.keyColumns.map((k) => `s.${q(k)}`).join(', ')}))`,
              );
              refused += r.rowCount ?? 0;
            }
          }
          await client.query(`INSERT INTO ${q(req.table)} (${cols}) SELECT ${cols} FROM ${stage} ON CONFLICT (${keys}) DO UPDATE SET ${updates}`);
          await client.query('COMMIT');
          state.refused += refused;
          return { written: req.rows.length - refused };
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      },
    },
  };
  return state;
}

const toJsonText = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));

/** saveCheckpoint as one raw statement pair (unnest insert + counter update) instead of Prisma. */
export async function rawCheckpoint(client: pg.Client, jobId: string, chunkId: string, leaseId: string, mappingVersionId: string, outcome: BatchOutcome): Promise<void> {
  const e = outcome.errors;
  await client.query('BEGIN');
  try {
    if (e.length > 0) {
      await client.query(
        `INSERT INTO error_rows (job_id, chunk_id, mapping_version_id, source_key, source_key_text, source_row, stage, field, code, message)
         SELECT $1, $2, $3, k::jsonb, kt, r::jsonb, s::"ErrorStage", f, c, m
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS t(k, kt, r, s, f, c, m)
         ON CONFLICT (job_id, source_key_text) DO NOTHING`,
        [
          jobId, chunkId, mappingVersionId,
          e.map((x) => toJsonText(x.sourceKey)), e.map((x) => keyText(x.sourceKey)), e.map((x) => toJsonText(x.sourceRow)),
          e.map((x) => x.stage), e.map((x) => x.field), e.map((x) => x.code), e.map((x) => x.message.slice(0, 2000)),
        ],
      );
    }
    const moved = await client.query(
      `UPDATE chunks SET cursor = $2::jsonb, rows_read = rows_read + $3, rows_written = rows_written + $4, rows_failed = rows_failed + $5,
         rows_duplicate = rows_duplicate + $6, heartbeat_at = now() WHERE id = $1 AND lease_id = $7`,
      [chunkId, toJsonText(outcome.cursor), outcome.read, outcome.written, e.length, outcome.duplicates, leaseId],
    );
    if (moved.rowCount !== 1) throw new Error(`chunk ${chunkId}: lease lost`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
