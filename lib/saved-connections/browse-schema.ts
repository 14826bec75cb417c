import { openConnector } from '../connectors/open-connector';
import type { Connector } from '../connectors/connector';
import { AppError } from '../errors';
import { resolveConnection } from './resolve-connection';

async function withConnector<T>(connectionId: string, use: (connector: Connector) => Promise<T>): Promise<T> {
  const connector = openConnector(await resolveConnection(connectionId));
  try {
    return await use(connector);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('connection_failed', `Could not read the schema: ${(error as Error).message}`);
  } finally {
    await connector.close();
  }
}

export const listTables = (connectionId: string) => withConnector(connectionId, (c) => c.listTables());

export async function describeTable(connectionId: string, table: string) {
  return withConnector(connectionId, async (c) => {
    const tables = await c.listTables();
    // Only names the catalog knows reach the connector; anything else is a clean 404.
    if (!tables.some((t) => t.name === table)) throw new AppError('not_found', `Table "${table}" not found`);
    return c.describeTable(table);
  });
}
