import { z } from 'zod';
import { isValidTimeZone } from '../mapping/zoned-time';

export const connectorKinds = ['postgres', 'mysql', 'csv'] as const;
/** Kinds a connection form creates: databases reached by host, port and credentials. */
export const databaseKinds = ['postgres', 'mysql'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];
export const sslModes = ['disable', 'prefer', 'require', 'verify_ca', 'verify_full'] as const;

export const connectorKindSchema = z.enum(connectorKinds);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

/**
 * The position and code point of the first control character (C0, DEL, C1), or null.
 * Connection fields end up in log lines, audit entries, connection strings and the UI:
 * a line break, escape sequence or NUL there forges log lines or truncates what a driver
 * sends. Tabs count too: no field legitimately holds one and a form field cannot type one.
 */
export function firstControlCharacter(value: string): { at: number; codePoint: string } | null {
  for (let at = 0; at < value.length; at += 1) {
    const code = value.charCodeAt(at);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) {
      return { at, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
    }
  }
  return null;
}

const withoutControlCharacters = {
  error: (issue: { input?: unknown }) => {
    const found = firstControlCharacter(String(issue.input));
    return `must not contain control characters such as line breaks or tabs (${found?.codePoint} at position ${(found?.at ?? 0) + 1})`;
  },
};
const hasNoControlCharacters = (value: string) => firstControlCharacter(value) === null;

const identifier = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .refine(hasNoControlCharacters, withoutControlCharacters);

/** Modes whose TLS checks the server's certificate, and so may carry a CA certificate. */
export const verifyingSslModes = ['verify_ca', 'verify_full'] as const;

/**
 * How much each mode protects the password on its way: prefer may fall back to plain TCP,
 * require encrypts but trusts any certificate (whoever sits in between can read it),
 * verify_ca checks the certificate's authority, verify_full its host name too.
 */
export const sslModeStrength: Record<(typeof sslModes)[number], number> = {
  disable: 0,
  prefer: 1,
  require: 2,
  verify_ca: 3,
  verify_full: 4,
};

/** 64 KiB holds a chain of many certificates; a whole system bundle is not what belongs here. */
export const MAX_CA_CERTIFICATE_LENGTH = 65_536;

/** What an analyst submits to create or edit a connection. */
export const connectionConfigSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters')
    .refine(hasNoControlCharacters, withoutControlCharacters),
  kind: z.enum(databaseKinds, { error: `must be one of ${databaseKinds.join(', ')} (a file source is created on the Files page)` }),
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
  password: z
    .string()
    .max(1024)
    // Any printable character; a control character is almost always a pasted line break,
    // and cannot be typed into the form's password field anyway.
    .refine(hasNoControlCharacters, 'must not contain control characters such as line breaks or tabs')
    .optional(),
  sslMode: z.enum(sslModes).default('prefer'),
  /**
   * PEM certificate(s) of the authority that signed the server's certificate, used by
   * verify_ca and verify_full; absent or blank means the system's trusted authorities. Not
   * secret. The server parses every certificate (lib/crypto/ca-certificates.ts); this
   * browser-safe check only refuses what is plainly wrong.
   */
  sslCaCertificate: z
    .string()
    .max(MAX_CA_CERTIFICATE_LENGTH, `must be at most ${MAX_CA_CERTIFICATE_LENGTH / 1024} KiB of PEM text`)
    .refine((pem) => !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem), 'must not contain a private key: paste only the certificate')
    .refine((pem) => !pem.trim() || pem.includes('-----BEGIN CERTIFICATE-----'), 'must be PEM text starting with -----BEGIN CERTIFICATE-----')
    .nullish()
    .transform((pem) => (pem?.trim() ? pem : undefined))
    .optional(),
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
  kind: connectorKindSchema,
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
  /** Canonical PEM (ca-certificates.ts) for verify_ca / verify_full; absent: system CAs. */
  sslCaCertificate?: string;
  schema?: string;
  /** IANA zone of timestamps without zone (connectionConfigSchema); UTC when absent. */
  timestampZone?: string;
  /** A file source (kind csv): its confirmed files, one per table; the database fields are unused. */
  files?: CsvSourceFile[];
}

/** One table of a file source: the confirmed version of a CSV file, as a connector reads it. */
export interface CsvSourceFile {
  id: string;
  table: string;
  version: number;
  /** Absolute path of the file. */
  path: string;
  /** The confirmed shape (lib/connectors/csv/csv-shape.ts: CsvShape). */
  shape: import('../connectors/csv/csv-shape').CsvShape;
  /** Size and modification time when confirmed: a file changed since is refused, never read half new. */
  fingerprint: string;
  /** A folder the connector may keep its byte-offset indexes in. */
  indexFolder: string;
}

export const defaultPorts: Record<DatabaseKind, number> = { postgres: 5432, mysql: 3306 };
