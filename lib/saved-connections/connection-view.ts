import type { ConnectionView } from '../schemas/connection-config';

/** The only columns that ever leave the server: the encrypted password is not among them. */
export const connectionViewSelect = {
  id: true,
  name: true,
  kind: true,
  host: true,
  port: true,
  database: true,
  username: true,
  sslMode: true,
  // Not secret: the public certificate of an authority, shown so it can be checked.
  sslCaCertificate: true,
  schema: true,
  timestampZone: true,
  passwordEncrypted: false,
  createdAt: true,
  updatedAt: true,
} as const;

interface ConnectionRow {
  id: string;
  name: string;
  kind: ConnectionView['kind'];
  host: string;
  port: number;
  database: string;
  username: string;
  sslMode: ConnectionView['sslMode'];
  sslCaCertificate: string | null;
  schema: string | null;
  timestampZone: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toConnectionView(row: ConnectionRow, hasPassword: boolean): ConnectionView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    host: row.host,
    port: row.port,
    database: row.database,
    username: row.username,
    sslMode: row.sslMode,
    sslCaCertificate: row.sslCaCertificate ?? undefined,
    schema: row.schema ?? undefined,
    timestampZone: row.timestampZone,
    hasPassword,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
