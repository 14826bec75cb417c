import type { Row, TableDetail } from '../connectors/connector';
import { openConnector } from '../connectors/open-connector';
import { autoMap } from '../mapping/auto-map';
import { describeTable } from '../saved-connections/browse-schema';
import { resolveConnection } from '../saved-connections/resolve-connection';
import type { AutoMapRequest } from '../schemas/auto-map-request';

/** Rows of the source looked at for value evidence: enough to tell dates from names, cheap to read. */
export const AUTO_MAP_SAMPLE_ROWS = 200;

/** The first rows of a table in key order (its first column's without a key). */
async function sampleRows(connectionId: string, table: TableDetail): Promise<Row[]> {
  const connector = openConnector(await resolveConnection(connectionId));
  try {
    const keyColumns = table.primaryKey.length > 0 ? table.primaryKey : table.columns.slice(0, 1).map((c) => c.name);
    if (keyColumns.length === 0) return [];
    const columns = table.columns.map((c) => c.name);
    for await (const batch of connector.readRange({ table: table.name, keyColumns, columns, range: { lower: null, upper: null }, batchSize: AUTO_MAP_SAMPLE_ROWS })) {
      return batch.slice(0, AUTO_MAP_SAMPLE_ROWS);
    }
    return [];
  } finally {
    await connector.close();
  }
}

/**
 * Auto-map proposals for two stored tables, ranked with a sample of the source's values
 * (see auto-map.ts). Only the proposals leave the server, never the sampled rows. A source
 * whose rows cannot be read still gets the proposals its names, keys and types give, with
 * `sampleProblem` saying so (the details are logged, not sent).
 */
export async function autoMapTables(request: AutoMapRequest) {
  const [source, target] = await Promise.all([
    describeTable(request.sourceConnectionId, request.sourceTable),
    describeTable(request.targetConnectionId, request.targetTable),
  ]);
  let sample: Row[] = [];
  let sampleProblem: string | null = null;
  try {
    sample = await sampleRows(request.sourceConnectionId, source);
  } catch (error) {
    console.warn(`[auto-map] could not sample ${request.sourceTable}:`, error instanceof Error ? error.message : error);
    sampleProblem = 'the source rows could not be read';
  }
  return { proposals: autoMap(source, target, sample), sampledRows: sample.length, sampleProblem };
}
