import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { prisma } from '@/lib/db/client';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { upsertUser } from '@/lib/users/manage-users';
import { MARIADB, PG_URL } from './test-env';

export async function testAdmin(): Promise<Actor> {
  const user = await upsertUser({ email: 'it-admin@ferry.test', name: 'IT Admin', role: 'admin', password: 'it-admin-password' });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** A fresh PostgreSQL database (dropped first), with a client to seed it. */
export async function freshPgDatabase(name: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const client = new pg.Client({ connectionString: PG_URL(name) });
  await client.connect();
  return client;
}

export async function freshMariaDatabase(name: string): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({ ...MARIADB, multipleStatements: true });
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.query(`CREATE DATABASE \`${name}\``);
  await connection.query(`USE \`${name}\``);
  return connection;
}

export async function testConnection(actor: Actor, kind: 'postgres' | 'mysql', database: string) {
  const name = `it ${kind} ${database}`;
  const existing = await prisma().connection.findUnique({ where: { name }, select: { id: true } });
  if (existing) return existing;
  return createConnection(actor, {
    name,
    kind,
    host: '127.0.0.1',
    port: kind === 'postgres' ? 5432 : 3306,
    database,
    username: kind === 'postgres' ? 'postgres' : 'root',
    sslMode: 'disable',
    schema: kind === 'postgres' ? 'public' : undefined,
  });
}

/** Creates (or replaces) a mapping from a spec written as plain data. */
export async function testMapping(actor: Actor, name: string, sourceConnectionId: string, targetConnectionId: string, spec: unknown) {
  const old = await prisma().mapping.findUnique({ where: { name }, select: { id: true } });
  if (old) await prisma().mapping.delete({ where: { id: old.id } });
  return createMapping(actor, { name, sourceConnectionId, targetConnectionId, spec: mappingSpecSchema.parse(spec) });
}

export async function jobTotals(jobId: string) {
  const sums = await prisma().chunk.aggregate({ where: { jobId }, _sum: { rowsRead: true, rowsWritten: true, rowsFailed: true, rowsDuplicate: true }, _count: true });
  return { chunks: sums._count, read: sums._sum.rowsRead ?? 0, written: sums._sum.rowsWritten ?? 0, failed: sums._sum.rowsFailed ?? 0, duplicates: sums._sum.rowsDuplicate ?? 0 };
}
