import type { Row, TableDetail } from '../connectors/connector';
import { openConnector } from '../connectors/open-connector';
import { prisma } from '../db/client';
import { autoMap, type RelatedMapping } from '../mapping/auto-map';
import { proposeTargetKey } from '../mapping/propose-target-key';
import { describeTable } from '../saved-connections/browse-schema';
import { resolveConnection } from '../saved-connections/resolve-connection';
import type { AutoMapRequest } from '../schemas/auto-map-request';
import { mappingSpecSchema } from '../schemas/mapping-spec';

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
 * The saved mappings between the same two connections that write a table the target's
 * foreign keys point at: the parents a reference field can go through. Each comes with its
 * latest spec's source key and its target table's primary key (read from the target; a
 * table that cannot be described is left out, as is a spec that no longer parses).
 */
async function relatedMappings(request: AutoMapRequest, target: TableDetail): Promise<RelatedMapping[]> {
  const referenced = [...new Set(target.foreignKeys.map((fk) => fk.referencedTable))];
  if (referenced.length === 0) return [];
  const mappings = await prisma().mapping.findMany({
    where: { archivedAt: null, sourceConnectionId: request.sourceConnectionId, targetConnectionId: request.targetConnectionId, targetTable: { in: referenced } },
    select: { id: true, name: true, sourceTable: true, targetTable: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { spec: true } } },
    orderBy: { name: 'asc' },
  });
  if (mappings.length === 0) return [];
  const primaryKeys = new Map<string, string[] | null>();
  for (const table of new Set(mappings.map((m) => m.targetTable))) {
    const detail = table === target.name ? target : await describeTable(request.targetConnectionId, table).catch(() => null);
    primaryKeys.set(table, detail?.primaryKey ?? null);
  }
  return mappings.flatMap((mapping) => {
    const spec = mappingSpecSchema.safeParse(mapping.versions[0]?.spec);
    const targetPrimaryKey = primaryKeys.get(mapping.targetTable);
    if (!spec.success || !targetPrimaryKey) return [];
    return [{ mappingId: mapping.id, name: mapping.name, sourceTable: mapping.sourceTable, targetTable: mapping.targetTable, sourceKey: spec.data.source.key, targetPrimaryKey }];
  });
}

/**
 * Auto-map proposals for two stored tables, ranked with a sample of the source's values
 * (see auto-map.ts), with reference fields onto the tables other saved mappings write, and
 * the target key the proposals suggest (propose-target-key.ts; null: the analyst chooses).
 * Only the proposals leave the server, never the sampled rows. A source whose rows cannot
 * be read still gets the proposals its names, keys and types give, with `sampleProblem`
 * saying so (the details are logged, not sent).
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
  const related = await relatedMappings(request, target);
  const proposals = autoMap(source, target, sample, related);
  return { proposals, targetKey: proposeTargetKey(source, target, proposals), sampledRows: sample.length, sampleProblem };
}
