import { openConnector } from '../connectors/open-connector';
import type { ConnectionTestResult } from '../connectors/connector';
import type { ConnectionConfig, ResolvedConnection } from '../schemas/connection-config';
import { checkedConnectionConfig } from './checked-config';
import { resolveConnection } from './resolve-connection';
import { assertStoredPasswordFits } from './stored-password-binding';

/**
 * Tests a configuration from the form. When editing a saved connection the password
 * field is usually empty: then the stored password is used, but only towards the place it
 * was saved for, under TLS as strict as it was saved with (stored-password-binding.ts).
 */
export async function testConnectionConfig(input: ConnectionConfig, savedId?: string): Promise<ConnectionTestResult> {
  const config = checkedConnectionConfig(input);
  let password = config.password || null;
  if (!password && savedId) {
    await assertStoredPasswordFits(savedId, config);
    password = (await resolveConnection(savedId)).password;
  }
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
