import { openConnector } from '../connectors/open-connector';
import type { ConnectionTestResult } from '../connectors/connector';
import type { ConnectionConfig, ResolvedConnection } from '../schemas/connection-config';
import { resolveConnection } from './resolve-connection';

/**
 * Tests a configuration from the form. When editing a saved connection the password
 * field is usually empty: then the stored password is used.
 */
export async function testConnectionConfig(config: ConnectionConfig, savedId?: string): Promise<ConnectionTestResult> {
  let password = config.password || null;
  if (!password && savedId) password = (await resolveConnection(savedId)).password;
  const resolved: ResolvedConnection = { ...config, password };
  const connector = openConnector(resolved);
  try {
    return await connector.test(5000);
  } finally {
    await connector.close();
  }
}

export async function testSavedConnection(id: string): Promise<ConnectionTestResult> {
  const connector = openConnector(await resolveConnection(id));
  try {
    return await connector.test(5000);
  } finally {
    await connector.close();
  }
}
