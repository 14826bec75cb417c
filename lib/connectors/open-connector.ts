import type { Connector, ConnectorFactory } from './connector';
import type { ConnectorKind, ResolvedConnection } from '../schemas/connection-config';
import { createMysqlConnector } from './mysql';
import { createPostgresConnector } from './postgres';

/** One line per database kind; the Record type makes a missing kind a compile error. */
const factories: Record<ConnectorKind, ConnectorFactory> = {
  postgres: createPostgresConnector,
  mysql: createMysqlConnector,
};

/** A connector for this connection. Nothing connects until first use; call close() when done. */
export function openConnector(connection: ResolvedConnection): Connector {
  const factory = factories[connection.kind];
  if (!factory) throw new Error(`Unsupported database kind "${String(connection.kind)}"`);
  return factory(connection);
}
