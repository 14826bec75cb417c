import pg from 'pg';
import type { ResolvedConnection } from '../../../schemas/connection-config';
import { baseConfig, isNoTlsSupport, sslFor } from '../connection';
import { classifyReplicationError } from './replication-error';

/**
 * Where the captured database is: a saved connection (TLS per its SSL mode, as the
 * connector's pool does) or plain pg client settings (tests, scripts).
 */
export type CaptureSource = ResolvedConnection | { clientConfig: pg.ClientConfig };

interface ReplicationClientConfig extends pg.ClientConfig {
  /** pg passes it as a startup parameter: a walsender that also accepts SQL. */
  replication: 'database';
}

/**
 * The walsender formats values as text in its own session, so it gets the engine's
 * settings (connection.ts SESSION_SETUP) for the same text: UTC, ISO dates, hex bytea.
 * statement_timeout is off: START_REPLICATION runs for as long as the reader lives.
 */
const WALSENDER_SETUP =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
  "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET statement_timeout = 0";

function configsFor(source: CaptureSource): pg.ClientConfig[] {
  if ('clientConfig' in source) return [source.clientConfig];
  const base = { ...baseConfig(source), application_name: 'ferry-capture' };
  // "prefer": TLS first, plain only when the server says it has no TLS (as the pool does).
  return source.sslMode === 'prefer' ? [{ ...base, ssl: sslFor(source) }, { ...base, ssl: false }] : [{ ...base, ssl: sslFor(source) }];
}

async function connectWith(configs: pg.ClientConfig[], replication: boolean): Promise<pg.Client> {
  for (let i = 0; ; i++) {
    const config: pg.ClientConfig | ReplicationClientConfig = replication ? { connectionTimeoutMillis: 10_000, ...configs[i], replication: 'database' } : { connectionTimeoutMillis: 10_000, ...configs[i] };
    const client = new pg.Client(config);
    client.on('error', () => undefined); // errors also reject the running query; a late one must not crash the worker
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (i + 1 < configs.length && isNoTlsSupport(err)) continue;
      throw classifyReplicationError(err);
    }
  }
}

/** A walsender connection (replication=database) with the engine's text settings. */
export async function connectReplication(source: CaptureSource): Promise<pg.Client> {
  const client = await connectWith(configsFor(source), true);
  try {
    await client.query(WALSENDER_SETUP);
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyReplicationError(err);
  }
}

/** An ordinary SQL connection to the same database (heartbeats, slot health, cleanup). */
export function connectSql(source: CaptureSource): Promise<pg.Client> {
  return connectWith(configsFor(source), false);
}
