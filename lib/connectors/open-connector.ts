import type { Connector, ConnectorFactory } from './connector';
import type { ConnectorKind, ResolvedConnection } from '../schemas/connection-config';
import { createCsvConnector } from './csv/connector';
import { createMysqlConnector } from './mysql/connector';
import { createPostgresConnector } from './postgres/connector';

/**
 * One line per system: the kind a connection names, and the folder whose connector.ts
 * implements it. The Record type makes a missing kind a compile error.
 */
const factories: Record<ConnectorKind, ConnectorFactory> = {
  postgres: createPostgresConnector,
  mysql: createMysqlConnector,
  csv: createCsvConnector,
};

/** A connector for this connection. Nothing connects until first use; call close() when done. */
export function openConnector(connection: ResolvedConnection): Connector {
  const factory = factories[connection.kind];
  if (!factory) throw new Error(`Unsupported database kind "${String(connection.kind)}"`);
  return withTimestampZone(factory(connection), connection.timestampZone ?? 'UTC');
}

/**
 * The connection's zone of timestamps without zone, on every such column its tables
 * describe (ColumnInfo.timeZone): the mapping, its checks and verification read it there.
 */
function withTimestampZone(connector: Connector, zone: string): Connector {
  const describe = connector.describeTable.bind(connector);
  connector.describeTable = async (table) => {
    const detail = await describe(table);
    return { ...detail, columns: detail.columns.map((c) => (c.family === 'timestamp' ? { ...c, timeZone: zone } : c)) };
  };
  return connector;
}
