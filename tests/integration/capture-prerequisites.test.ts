/**
 * The change-capture setup check against the local servers, as scripts/services.sh leaves
 * them (wal_level = logical with a WAL bound per slot; binlog on, ROW, FULL images):
 * the superuser / root passes; a freshly created user without replication rights gets
 * exactly the expected problems with the exact GRANT statements; running those statements
 * makes the check pass; a table without a primary key is named.
 * Own database `ferry_it_capture_prereq` on both servers, roles / users `ferry_it_cap_*`,
 * dropped before and after. Nothing here creates a slot.
 *
 * Run: node --import tsx --test tests/integration/capture-prerequisites.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { CapturePrerequisite } from '../../lib/schemas/capture-prerequisite';
import type { ResolvedConnection } from '../../lib/schemas/connection-config';
import { checkCapturePrerequisites, hasBlockingProblem } from '../../lib/sync/check-capture-prerequisites';
import { freshMariaDatabase, freshPgDatabase } from './support/fixtures';
import { MARIADB, PG_URL } from './support/test-env';

const DB = 'ferry_it_capture_prereq';
const LIMITED = 'ferry_it_cap_limited';
const OWNER = 'ferry_it_cap_owner';
const PUBLICATION = 'ferry_it_cap_pub';

/** Code, table and fix: what a person acts on (messages are checked where they matter). */
const summary = (problems: CapturePrerequisite[]) =>
  problems.map((p) => ({ code: p.code, severity: p.severity, table: p.table, fix: p.fix })).sort((a, b) => `${a.code}${a.table}`.localeCompare(`${b.code}${b.table}`));

describe('PostgreSQL', () => {
  const connection = (username: string): ResolvedConnection => ({
    kind: 'postgres', host: '127.0.0.1', port: 5432, database: DB, username, password: null, sslMode: 'disable', schema: 'public',
  });
  let admin: pg.Client;

  async function dropRoles(client: pg.Client) {
    for (const role of [LIMITED, OWNER]) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount) await client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  }

  before(async () => {
    const root = new pg.Client({ connectionString: PG_URL('postgres') });
    await root.connect();
    await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await dropRoles(root);
    await root.query(`CREATE ROLE ${LIMITED} LOGIN; CREATE ROLE ${OWNER} NOLOGIN`);
    await root.end();
    admin = await freshPgDatabase(DB);
    await admin.query(`
      CREATE TABLE with_pk (id int PRIMARY KEY, name text);
      CREATE TABLE no_key (a int, b text);
      CREATE TABLE unique_code (code text NOT NULL UNIQUE, name text);
      CREATE TABLE team_owned (id int PRIMARY KEY);
      ALTER TABLE team_owned OWNER TO ${OWNER};`);
  });

  after(async () => {
    await admin.end();
    const root = new pg.Client({ connectionString: PG_URL('postgres') });
    await root.connect();
    await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await dropRoles(root);
    await root.end();
  });

  it('passes for the superuser on a table with a primary key', async () => {
    const problems = await checkCapturePrerequisites(connection('postgres'), [{ table: 'with_pk' }]);
    assert.deepEqual(problems, []);
  });

  it('names tables without a primary key, with the replica identity to set', async () => {
    const problems = await checkCapturePrerequisites(connection('postgres'), [{ table: 'with_pk' }, { table: 'no_key' }, { table: 'unique_code' }, { table: 'gone' }]);
    assert.deepEqual(summary(problems), [
      { code: 'replica_identity', severity: 'error', table: 'public.no_key', fix: 'ALTER TABLE "public"."no_key" REPLICA IDENTITY FULL;' },
      { code: 'replica_identity', severity: 'error', table: 'public.unique_code', fix: 'ALTER TABLE "public"."unique_code" REPLICA IDENTITY USING INDEX "unique_code_code_key";' },
      { code: 'table_missing', severity: 'error', table: 'public.gone', fix: '-- check the table name: public.gone' },
    ]);
    // The fixes work: with them applied, the same check passes.
    await admin.query(problems.filter((p) => p.code === 'replica_identity').map((p) => p.fix).join('\n'));
    assert.deepEqual(await checkCapturePrerequisites(connection('postgres'), [{ table: 'no_key' }, { table: 'unique_code' }]), []);
  });

  it('gives a role without replication rights exactly the statements it lacks, and those statements are enough', async () => {
    const tables = [{ table: 'with_pk' }, { table: 'team_owned' }];
    const problems = await checkCapturePrerequisites(connection(LIMITED), tables, { publicationName: PUBLICATION });
    assert.ok(hasBlockingProblem(problems));
    assert.deepEqual(summary(problems), [
      { code: 'database_create_privilege', severity: 'error', table: undefined, fix: `GRANT CREATE ON DATABASE "${DB}" TO "${LIMITED}";` },
      { code: 'replication_privilege', severity: 'error', table: undefined, fix: `ALTER ROLE "${LIMITED}" WITH REPLICATION;` },
      { code: 'table_ownership', severity: 'error', table: 'public.team_owned', fix: `GRANT "${OWNER}" TO "${LIMITED}";` },
      { code: 'table_ownership', severity: 'error', table: 'public.with_pk', fix: `CREATE PUBLICATION "${PUBLICATION}" FOR TABLE "public"."with_pk", "public"."team_owned";` },
      { code: 'table_select_privilege', severity: 'error', table: 'public.team_owned', fix: `GRANT SELECT ON "public"."team_owned" TO "${LIMITED}";` },
      { code: 'table_select_privilege', severity: 'error', table: 'public.with_pk', fix: `GRANT SELECT ON "public"."with_pk" TO "${LIMITED}";` },
    ]);

    // Path 1: make the role able to create the publication itself.
    const grants = problems.filter((p) => p.code !== 'table_ownership' || p.table === 'public.team_owned').map((p) => p.fix);
    await admin.query(grants.join('\n'));
    assert.deepEqual(summary(await checkCapturePrerequisites(connection(LIMITED), tables, { publicationName: PUBLICATION })), [
      { code: 'table_ownership', severity: 'error', table: 'public.with_pk', fix: `CREATE PUBLICATION "${PUBLICATION}" FOR TABLE "public"."with_pk", "public"."team_owned";` },
    ]);
    // Path 2 for the superuser's table: the owner creates the sync's publication beforehand.
    await admin.query(problems.find((p) => p.table === 'public.with_pk' && p.code === 'table_ownership')!.fix);
    assert.deepEqual(await checkCapturePrerequisites(connection(LIMITED), tables, { publicationName: PUBLICATION }), []);
    await admin.query(`DROP PUBLICATION ${PUBLICATION}`);
  });
});

describe('MariaDB', () => {
  const connection = (username: string, password: string | null): ResolvedConnection => ({
    kind: 'mysql', host: '127.0.0.1', port: 3306, database: DB, username, password, sslMode: 'disable',
  });
  let admin: mysql.Connection;

  before(async () => {
    admin = await freshMariaDatabase(DB);
    await admin.query(`DROP USER IF EXISTS '${LIMITED}'@'%'`);
    await admin.query(`CREATE USER '${LIMITED}'@'%' IDENTIFIED BY 'limited-pw'`);
    await admin.query(`
      CREATE TABLE with_pk (id INT PRIMARY KEY, name TEXT);
      CREATE TABLE no_key (a INT, b TEXT);
      CREATE TABLE unique_code (code VARCHAR(20) NOT NULL, name TEXT, UNIQUE KEY uq_code (code));
      CREATE TABLE secret (id INT PRIMARY KEY);`);
    await admin.query(`GRANT SELECT ON \`${DB}\`.with_pk TO '${LIMITED}'@'%'`);
  });

  after(async () => {
    await admin.query(`DROP USER IF EXISTS '${LIMITED}'@'%'`);
    await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
    await admin.end();
  });

  it('passes for root with the binlog as services.sh sets it', async () => {
    assert.deepEqual(await checkCapturePrerequisites(connection('root', null), [{ table: 'with_pk' }]), []);
  });

  it('names tables without a primary key', async () => {
    const problems = await checkCapturePrerequisites(connection('root', null), [{ table: 'no_key' }, { table: 'unique_code' }, { table: 'gone' }]);
    assert.deepEqual(summary(problems), [
      { code: 'primary_key', severity: 'error', table: `${DB}.no_key`, fix: `ALTER TABLE \`${DB}\`.\`no_key\` ADD COLUMN ferry_row_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY;` },
      { code: 'primary_key', severity: 'warning', table: `${DB}.unique_code`, fix: `ALTER TABLE \`${DB}\`.\`unique_code\` ADD PRIMARY KEY (\`code\`);` },
      { code: 'table_missing', severity: 'error', table: `${DB}.gone`, fix: `-- check the table name: ${DB}.gone` },
    ]);
    assert.match(problems.find((p) => p.table === `${DB}.no_key`)!.message, /no primary key/);
  });

  it('gives a user without replication grants exactly the GRANT statements it lacks, and those are enough', async () => {
    const tables = [{ table: 'with_pk' }, { table: 'secret' }];
    const problems = await checkCapturePrerequisites(connection(LIMITED, 'limited-pw'), tables);
    assert.deepEqual(summary(problems), [
      { code: 'missing_grants', severity: 'error', table: undefined, fix: `GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO \`${LIMITED}\`@\`%\`;` },
      { code: 'table_select_privilege', severity: 'error', table: `${DB}.secret`, fix: `GRANT SELECT ON \`${DB}\`.\`secret\` TO \`${LIMITED}\`@\`%\`;` },
    ]);
    for (const p of problems) await admin.query(p.fix);
    assert.deepEqual(await checkCapturePrerequisites(connection(LIMITED, 'limited-pw'), tables), []);
  });
});
