import { z } from 'zod';
import { isValidTimeZone } from '../mapping/zoned-time';

export const connectorKinds = ['postgres', 'mysql'] as const;
export const sslModes = ['disable', 'prefer', 'require', 'verify_ca', 'verify_full'] as const;

export const connectorKindSchema = z.enum(connectorKinds);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

const identifier = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters');

/** What an analyst submits to create or edit a connection. */
export const connectionConfigSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  kind: connectorKindSchema,
  host: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(255)
    .regex(/^[A-Za-z0-9.\-:[\]_]+$/, 'must be a host name or IP address'),
  port: z.coerce.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535'),
  database: identifier,
  username: identifier,
  /** Write-only: omitted or empty on edit means "keep the stored password". */
  password: z.string().max(1024).optional(),
  sslMode: z.enum(sslModes).default('prefer'),
  /** PostgreSQL schema to browse and write; ignored for MySQL (database = schema). */
  schema: identifier.optional().or(z.literal('').transform(() => undefined)),
  /**
   * The zone in which this database's timestamps without zone (MySQL DATETIME, PostgreSQL
   * timestamp) were written: reads, preview and verification take their wall times in it.
   */
  timestampZone: z
    .string({ error: 'must be a time zone such as UTC or Europe/Berlin' })
    .trim()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters')
    .refine(isValidTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"; use an IANA name such as UTC or Europe/Berlin` })
    // Absent: UTC for a new connection, the stored zone when editing one.
    .optional(),
});
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;

/** What the API returns: never the password, only whether one is stored. */
export const connectionViewSchema = connectionConfigSchema.omit({ password: true }).extend({
  id: z.string(),
  hasPassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** Server-only: a connection with its decrypted password, handed to a connector. */
export interface ResolvedConnection {
  kind: ConnectorKind;
  host: string;
  port: number;
  database: string;
  username: string;
  password: string | null;
  sslMode: (typeof sslModes)[number];
  schema?: string;
  /** IANA zone of timestamps without zone (connectionConfigSchema); UTC when absent. */
  timestampZone?: string;
}

export const defaultPorts: Record<ConnectorKind, number> = { postgres: 5432, mysql: 3306 };
