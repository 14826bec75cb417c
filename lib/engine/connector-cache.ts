import { openConnector } from '../connectors/open-connector';
import type { Connector, TableDetail } from '../connectors/connector';
import { prisma } from '../db/client';
import { resolveConnection } from '../saved-connections/resolve-connection';
import { StepTimeoutError } from './with-timeout';

/**
 * A worker process keeps one connector (with its pool) per connection and reuses it
 * across chunks; an edited connection (new updatedAt) gets a fresh one.
 */
const connectors = new Map<string, { version: number; connector: Connector }>();
const tableDetails = new Map<string, { version: number; detail: TableDetail }>();

export async function cachedConnector(connectionId: string): Promise<Connector> {
  const row = await prisma().connection.findUniqueOrThrow({ where: { id: connectionId }, select: { updatedAt: true } });
  const version = row.updatedAt.getTime();
  const cached = connectors.get(connectionId);
  if (cached && cached.version === version) return cached.connector;
  if (cached) await cached.connector.close().catch(() => undefined);
  const connector = openConnector(await resolveConnection(connectionId));
  connectors.set(connectionId, { version, connector });
  return connector;
}

/** Table structure, cached for a minute: chunks of one job need it many times. */
export async function cachedTableDetail(connectionId: string, table: string): Promise<TableDetail> {
  const key = `${connectionId}/${table}`;
  const cached = tableDetails.get(key);
  if (cached && Date.now() - cached.version < 60_000) return cached.detail;
  const detail = await (await cachedConnector(connectionId)).describeTable(table);
  tableDetails.set(key, { version: Date.now(), detail });
  return detail;
}

export async function closeCachedConnectors(): Promise<void> {
  await Promise.allSettled([...connectors.values()].map((c) => c.connector.close()));
  connectors.clear();
  tableDetails.clear();
}

/**
 * Forgets every cached connector without waiting for it: used after a call hung, when
 * its pool may hold connections that will never come back. New calls get fresh pools.
 */
export function abandonCachedConnectors(): void {
  for (const { connector } of connectors.values()) void connector.close().catch(() => undefined);
  connectors.clear();
  tableDetails.clear();
}

/** After a failed attempt: a step that timed out may have left its connection mid-statement, so the next attempt starts on fresh ones. */
export function dropConnectionsAfterTimeout(error: unknown): void {
  if (error instanceof StepTimeoutError) abandonCachedConnectors();
}
