import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { idMapLookupSql } from '@/lib/engine/id-map-store';
import { freshPgDatabase } from './support/fixtures';

/**
 * An id map is read while it is still growing: in a plan the contacts' map gains a million
 * rows minutes before the deals look them up, and nothing has analyzed it yet (this
 * machine's PostgreSQL runs with autovacuum off; elsewhere analyze may simply come later).
 * The look-up must probe the index per key whatever the statistics say. With
 * `source_key = ANY($2)` PostgreSQL read every row of the mapping and filtered them.
 */

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of `table` the executor touched: returned by its scans plus those it filtered out. */
function rowsTouched(node: PlanNode, table: string): number {
  const own = node['Relation Name'] === table
    ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1)
    : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsTouched(child, table), 0);
}

async function touched(client: pg.Client, sql: string, params: unknown[], table: string): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  return rowsTouched(rows[0]['QUERY PLAN'][0].Plan, table);
}

describe('id map look-ups on a map without statistics', () => {
  let client: pg.Client;
  const keys = Array.from({ length: 2000 }, (_, i) => String(100_000 + i * 7));

  before(async () => {
    client = await freshPgDatabase('ferry_it_id_map_plan');
    // The tables as the migration creates them; 400,000 rows of one mapping beside a small one, never analyzed.
    await client.query(`
      CREATE TABLE id_map_ints (map_no integer NOT NULL, source_key bigint NOT NULL, target_id text NOT NULL, PRIMARY KEY (map_no, source_key)) WITH (autovacuum_enabled = false);
      CREATE TABLE id_map_texts (map_no integer NOT NULL, source_key text NOT NULL, target_id text NOT NULL, PRIMARY KEY (map_no, source_key)) WITH (autovacuum_enabled = false);
      INSERT INTO id_map_ints SELECT 1, g, 'c-' || g FROM generate_series(1, 400000) g;
      INSERT INTO id_map_ints SELECT 2, g, 'x-' || g FROM generate_series(1, 1000) g;
      INSERT INTO id_map_texts SELECT 1, 'ORD-' || lpad(g::text, 7, '0'), gen_random_uuid()::text FROM generate_series(1, 400000) g;`);
  });

  after(async () => {
    await client?.end();
  });

  test('each key is one index probe: the rows touched stay at the keys asked for', async () => {
    const ints = await touched(client, idMapLookupSql('id_map_ints'), [1, keys], 'id_map_ints');
    assert.ok(ints <= keys.length, `${ints} rows of id_map_ints touched for ${keys.length} keys`);
    const textKeys = keys.map((k) => `ORD-${k.padStart(7, '0')}`);
    const texts = await touched(client, idMapLookupSql('id_map_texts'), [1, textKeys], 'id_map_texts');
    assert.ok(texts <= textKeys.length, `${texts} rows of id_map_texts touched for ${textKeys.length} keys`);
    const { rows } = await client.query(idMapLookupSql('id_map_ints'), [1, keys.slice(0, 3)]);
    assert.deepEqual(rows, keys.slice(0, 3).map((k) => ({ k, t: `c-${k}` })));
  });

  test('control: the same tables read with `= ANY` are scanned through (the hazard the probe avoids)', async () => {
    const scanned = await touched(client, 'SELECT source_key, target_id FROM id_map_ints WHERE map_no = $1 AND source_key = ANY($2::int8[])', [1, keys], 'id_map_ints');
    assert.ok(scanned > 100_000, `only ${scanned} rows touched: this PostgreSQL plans \`= ANY\` well without statistics, so the first test proves less`);
  });
});
