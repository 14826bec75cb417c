import { metadataPool } from './metadata-pool';

/**
 * The id maps' storage (id_map_ints, id_map_texts): source key text (referenceKeyText) →
 * target id, per mapping. A mapping's rows carry its short number (mappings.id_map_no),
 * and a key that is one integer in canonical form is stored as a bigint: an index entry
 * is then about a quarter of a text-keyed one, which keeps a plan of millions of rows
 * finding its parents in memory instead of on disk. Which table a key lives in depends on
 * its text alone, so the writer and every reader agree without knowing the source's types.
 */

const INT_KEY = /^(?:0|-?[1-9]\d{0,18})$/;
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/** Whether the key text is kept as a bigint: canonical decimal digits within bigint's range (the migration's rule too). */
export function isIntKeyText(text: string): boolean {
  if (!INT_KEY.test(text)) return false;
  if (text.length < 19) return true;
  const value = BigInt(text);
  return value >= MIN && value <= MAX;
}

// A mapping's number never changes: looked up once per process.
const numbers = new Map<string, number>();

async function mapNo(mappingId: string): Promise<number | null> {
  const known = numbers.get(mappingId);
  if (known !== undefined) return known;
  const { rows } = await metadataPool().query<{ n: number }>('SELECT id_map_no AS n FROM mappings WHERE id = $1', [mappingId]);
  if (rows.length === 0) return null;
  numbers.set(mappingId, rows[0].n);
  return rows[0].n;
}

type IdMapTable = 'id_map_ints' | 'id_map_texts';
const KEY_TYPE: Record<IdMapTable, string> = { id_map_ints: 'int8', id_map_texts: 'text' };

/** Every entry of both tables as (map_no, k key text, t target id), for reports and checks. */
export const ID_MAP_ENTRIES_SQL = '(SELECT map_no, source_key::text AS k, target_id AS t FROM id_map_ints UNION ALL SELECT map_no, source_key, target_id FROM id_map_texts)';

/**
 * The look-up of one batch's keys ($1 map number, $2 keys): one index probe per key
 * (LATERAL … LIMIT 1 is never flattened into a join), not `source_key = ANY($2)`: an id map
 * grows by millions of rows within one plan, faster than autovacuum analyzes it, and
 * without statistics PostgreSQL judged `map_no = $1` selective and read every row of the
 * mapping per batch, filtering on the key (0.6–0.9 s per batch at 3M rows).
 */
export function idMapLookupSql(table: IdMapTable): string {
  return `SELECT u.k::text AS k, m.t FROM unnest($2::${KEY_TYPE[table]}[]) AS u(k)
    CROSS JOIN LATERAL (SELECT target_id AS t FROM ${table} WHERE map_no = $1 AND source_key = u.k LIMIT 1) m`;
}

/** The keys' positions per table that holds them (tables with none left out). */
function byTable(keys: readonly string[]): [IdMapTable, number[]][] {
  const at: Record<IdMapTable, number[]> = { id_map_ints: [], id_map_texts: [] };
  keys.forEach((key, i) => at[isIntKeyText(key) ? 'id_map_ints' : 'id_map_texts'].push(i));
  return (Object.entries(at) as [IdMapTable, number[]][]).filter(([, positions]) => positions.length > 0);
}

/** The target ids of these source keys that the mapping's id map holds, by key text. */
export async function findInIdMap(mappingId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const no = await mapNo(mappingId);
  if (no === null || keys.length === 0) return found;
  for (const [table, at] of byTable(keys)) {
    const { rows } = await metadataPool().query<{ k: string; t: string }>(idMapLookupSql(table), [no, at.map((i) => keys[i])]);
    for (const row of rows) found.set(row.k, row.t);
  }
  return found;
}

/** Records source key → target id (an upsert: a re-run or a retry changes nothing, a new target id replaces the old). */
export async function recordInIdMap(mappingId: string, keys: readonly string[], targetIds: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const no = await mapNo(mappingId);
  if (no === null) return; // the mapping was erased meanwhile: nothing refers to it any more
  await writeIdMapRows(no, keys, targetIds);
}

/** The id map rows of one map number, as recordInIdMap writes them. */
export async function writeIdMapRows(no: number, keys: readonly string[], targetIds: readonly string[]): Promise<void> {
  for (const [table, at] of byTable(keys)) {
    await metadataPool().query(
      `INSERT INTO ${table} (map_no, source_key, target_id)
       SELECT $1, k, t FROM unnest($2::${KEY_TYPE[table]}[], $3::text[]) AS u(k, t)
       ON CONFLICT (map_no, source_key) DO UPDATE SET target_id = EXCLUDED.target_id
        WHERE ${table}.target_id IS DISTINCT FROM EXCLUDED.target_id`,
      [no, at.map((i) => keys[i]), at.map((i) => targetIds[i])],
    );
  }
}
