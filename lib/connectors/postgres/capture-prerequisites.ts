import type pg from 'pg';
import type { CapturePrerequisite, CaptureTableRef } from '../../schemas/capture-prerequisite';
import { quotePgIdent } from './quote-ident';

/**
 * What logical replication (pgoutput, a slot and a publication Ferry creates) needs from a
 * PostgreSQL source and its role, checked with catalog reads only: nothing is created.
 *
 * Publications: CREATE PUBLICATION needs CREATE on the database, and FOR TABLE needs
 * ownership of each table (membership of the owning role counts). A publication that an
 * owner created beforehand and that already covers every table makes both unnecessary.
 */

/** The bound services.sh sets; a slot past it is invalidated instead of filling the disk. */
export const SUGGESTED_SLOT_WAL_BOUND = '2GB';

interface ServerRow {
  version_num: number;
  wal_level: string;
  max_slots: number;
  used_slots: number;
  max_senders: number;
  used_senders: number;
  keep_size: string;
  role: string;
  database: string;
  superuser: boolean;
  replication: boolean;
  can_create: boolean;
  rds: boolean;
  rds_replication: boolean;
  cloud_sql: boolean;
}

interface TableRow {
  schema: string;
  table: string;
  relkind: string | null;
  replident: string | null;
  has_pk: boolean;
  owner: string | null;
  owner_super: boolean | null;
  owned: boolean;
  can_select: boolean;
  unique_index: string | null;
  in_publication: boolean;
}

const SERVER_SQL = `
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('wal_level') AS wal_level,
       current_setting('max_replication_slots')::int AS max_slots,
       (SELECT count(*) FROM pg_replication_slots)::int AS used_slots,
       current_setting('max_wal_senders')::int AS max_senders,
       (SELECT count(*) FROM pg_stat_replication)::int AS used_senders,
       (SELECT setting FROM pg_settings WHERE name = 'max_slot_wal_keep_size') AS keep_size,
       current_user AS role, current_database() AS database,
       r.rolsuper AS superuser, r.rolreplication AS replication,
       has_database_privilege(current_database(), 'CREATE') AS can_create,
       EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_superuser') AS rds,
       EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication')
         AND pg_has_role(current_user, 'rds_replication', 'MEMBER') AS rds_replication,
       EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cloudsqlsuperuser') AS cloud_sql
  FROM pg_roles r WHERE r.rolname = current_user`;

// Per table: replica identity, a key, ownership (through role membership too), SELECT, a
// unique index over NOT NULL columns that REPLICA IDENTITY USING INDEX could use, and
// whether the named publication already covers it.
const TABLES_SQL = `
SELECT t.schema, t.table, c.relkind::text AS relkind, c.relreplident::text AS replident,
       COALESCE((SELECT true FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary), false) AS has_pk,
       pg_get_userbyid(c.relowner) AS owner,
       (SELECT rolsuper FROM pg_roles WHERE oid = c.relowner) AS owner_super,
       COALESCE(pg_has_role(current_user, c.relowner, 'USAGE'), false) AS owned,
       COALESCE(has_table_privilege(c.oid, 'SELECT'), false) AS can_select,
       (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indisvalid
           AND i.indpred IS NULL AND i.indexprs IS NULL
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                            AND a.attnum = ANY (i.indkey) AND NOT a.attnotnull)
         ORDER BY ic.relname LIMIT 1) AS unique_index,
       EXISTS (SELECT 1 FROM pg_publication_tables p
                WHERE p.pubname = $3 AND p.schemaname = t.schema AND p.tablename = t.table) AS in_publication
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema, "table", ord)
  LEFT JOIN pg_namespace n ON n.nspname = t.schema
  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table
 ORDER BY t.ord`;

const restart = '-- then restart PostgreSQL';

function serverProblems(s: ServerRow): CapturePrerequisite[] {
  const problems: CapturePrerequisite[] = [];
  const role = quotePgIdent(s.role);
  if (s.version_num < 100000) {
    problems.push({
      code: 'server_version',
      severity: 'error',
      message: `PostgreSQL ${Math.floor(s.version_num / 10000)} has no built-in pgoutput publications; change capture needs PostgreSQL 10 or newer (14+ for heartbeats on quiet tables).`,
      fix: '-- upgrade PostgreSQL to 10 or newer',
    });
  }
  if (s.wal_level !== 'logical') {
    problems.push({
      code: 'wal_level',
      severity: 'error',
      message:
        `wal_level is ${s.wal_level}; logical decoding needs logical, which takes a restart.` +
        (s.rds ? ' On Amazon RDS / Aurora set rds.logical_replication = 1 in the parameter group and reboot.' : '') +
        (s.cloud_sql ? ' On Cloud SQL set the flag cloudsql.logical_decoding = on.' : ''),
      fix: s.rds
        ? '-- parameter group: rds.logical_replication = 1, then reboot the instance'
        : s.cloud_sql
          ? '-- instance flag: cloudsql.logical_decoding = on'
          : `ALTER SYSTEM SET wal_level = 'logical';\n${restart}`,
    });
  }
  if (!(s.superuser || s.replication || s.rds_replication)) {
    problems.push({
      code: 'replication_privilege',
      severity: 'error',
      message: `Role ${s.role} may not open a replication connection or create a slot: it needs the REPLICATION attribute (or superuser)${s.rds ? '; on Amazon RDS / Aurora, membership of rds_replication' : ''}. Run as a superuser${s.cloud_sql ? ' (on Cloud SQL, a cloudsqlsuperuser member)' : ''}:`,
      fix: s.rds ? `GRANT rds_replication TO ${role};` : `ALTER ROLE ${role} WITH REPLICATION;`,
    });
  }
  if (s.used_slots >= s.max_slots) {
    problems.push({
      code: 'replication_slots_exhausted',
      severity: 'error',
      message: `All ${s.max_slots} replication slots are in use (max_replication_slots); Ferry needs one per sync. Drop an unused slot (SELECT slot_name, active FROM pg_replication_slots) or raise the limit.`,
      fix: `ALTER SYSTEM SET max_replication_slots = ${s.max_slots + 10};\n${restart}`,
    });
  }
  if (s.used_senders >= s.max_senders) {
    problems.push({
      code: 'wal_senders_exhausted',
      severity: 'error',
      message: `All ${s.max_senders} WAL senders are busy (max_wal_senders); each change-capture reader holds one.`,
      fix: `ALTER SYSTEM SET max_wal_senders = ${s.max_senders + 10};\n${restart}`,
    });
  }
  if (s.version_num >= 130000 && s.keep_size === '-1') {
    problems.push({
      code: 'slot_wal_unbounded',
      severity: 'warning',
      message:
        'max_slot_wal_keep_size is unlimited: a slot whose reader stops keeps WAL until the disk is full. With a bound, PostgreSQL invalidates such a slot instead and the sync offers a new snapshot.',
      fix: `ALTER SYSTEM SET max_slot_wal_keep_size = '${SUGGESTED_SLOT_WAL_BOUND}';\nSELECT pg_reload_conf();`,
    });
  }
  return problems;
}

function tableProblems(s: ServerRow, t: TableRow): CapturePrerequisite[] {
  const name = `${t.schema}.${t.table}`;
  const qualified = `${quotePgIdent(t.schema)}.${quotePgIdent(t.table)}`;
  if (!t.relkind || !['r', 'p'].includes(t.relkind)) {
    return [{ code: 'table_missing', severity: 'error', table: name, message: `Table ${name} does not exist (or is not a table).`, fix: `-- check the table name: ${name}` }];
  }
  const problems: CapturePrerequisite[] = [];
  if (t.replident === 'n' || (t.replident === 'd' && !t.has_pk)) {
    problems.push({
      code: 'replica_identity',
      severity: 'error',
      table: name,
      message: t.unique_index
        ? `Table ${name} has no primary key: its updates and deletes carry no key, and once published they fail in the source. Its unique index ${t.unique_index} over NOT NULL columns can serve as the key (or add a primary key).`
        : `Table ${name} has no primary key and no replica identity: its updates and deletes carry no key, and once published they fail in the source. Add a primary key, or log whole old rows:`,
      fix: t.unique_index
        ? `ALTER TABLE ${qualified} REPLICA IDENTITY USING INDEX ${quotePgIdent(t.unique_index)};`
        : `ALTER TABLE ${qualified} REPLICA IDENTITY FULL;`,
    });
  }
  if (!t.can_select) {
    problems.push({
      code: 'table_select_privilege',
      severity: 'error',
      table: name,
      message: `Role ${s.role} may not read ${name}, which the initial snapshot does.`,
      fix: `GRANT SELECT ON ${qualified} TO ${quotePgIdent(s.role)};`,
    });
  }
  return problems;
}

/**
 * CREATE PUBLICATION … FOR TABLE needs ownership of every table. Tables owned by an
 * ordinary role: make the user a member of it. Tables owned by a superuser: membership
 * would hand over everything that role owns, so the owner creates the publication
 * instead (over all captured tables) and the sync uses it as it is.
 */
function ownershipProblems(s: ServerRow, tables: TableRow[], publicationName?: string): CapturePrerequisite[] {
  const present = tables.filter((t) => t.relkind);
  const unowned = present.filter((t) => !t.owned);
  const problems: CapturePrerequisite[] = [];
  const byOwner = new Map<string, TableRow[]>();
  for (const t of unowned.filter((u) => !u.owner_super)) byOwner.set(t.owner ?? '', [...(byOwner.get(t.owner ?? '') ?? []), t]);
  for (const [owner, owned] of byOwner) {
    const names = owned.map((t) => `${t.schema}.${t.table}`);
    problems.push({
      code: 'table_ownership',
      severity: 'error',
      ...(names.length === 1 ? { table: names[0] } : {}),
      message: `Creating a publication for ${names.join(', ')} needs ownership, which role ${s.role} lacks (the owner is ${owner}). Make ${s.role} a member of the owning role, or have ${owner} create the sync's publication.`,
      fix: `GRANT ${quotePgIdent(owner)} TO ${quotePgIdent(s.role)};`,
    });
  }
  const superOwned = unowned.filter((t) => t.owner_super);
  if (superOwned.length > 0) {
    const names = superOwned.map((t) => `${t.schema}.${t.table}`);
    const list = present.map((t) => `${quotePgIdent(t.schema)}.${quotePgIdent(t.table)}`).join(', ');
    problems.push({
      code: 'table_ownership',
      severity: 'error',
      ...(names.length === 1 ? { table: names[0] } : {}),
      message: `Creating a publication for ${names.join(', ')} needs ownership, which role ${s.role} lacks (the owner is the superuser ${superOwned[0].owner}). Have a superuser create the sync's publication over all its tables${publicationName ? '' : ', named as the sync shows'}:`,
      fix: `CREATE PUBLICATION ${quotePgIdent(publicationName ?? 'ferry_sync')} FOR TABLE ${list};`,
    });
  }
  return problems;
}

/**
 * The problems of this source for capturing `tables` (empty: ready). `publicationName`, if
 * given, is the publication the sync will use: when it exists already and covers every
 * table, creating one (CREATE on the database, table ownership) is not needed.
 */
export async function checkPostgresCapturePrerequisites(
  client: pg.ClientBase,
  tables: CaptureTableRef[],
  options: { defaultSchema: string; publicationName?: string },
): Promise<CapturePrerequisite[]> {
  const { rows: [server] } = await client.query<ServerRow>(SERVER_SQL);
  const { rows } = await client.query<TableRow>(TABLES_SQL, [
    tables.map((t) => t.schema ?? options.defaultSchema),
    tables.map((t) => t.table),
    options.publicationName ?? null,
  ]);
  const publicationCoversAll = rows.length > 0 && rows.every((t) => t.in_publication);
  const problems = serverProblems(server);
  if (!publicationCoversAll && !server.can_create) {
    problems.push({
      code: 'database_create_privilege',
      severity: 'error',
      message: `Role ${server.role} may not create a publication in database ${server.database}: that needs CREATE on the database.`,
      fix: `GRANT CREATE ON DATABASE ${quotePgIdent(server.database)} TO ${quotePgIdent(server.role)};`,
    });
  }
  for (const table of rows) problems.push(...tableProblems(server, table));
  if (!publicationCoversAll) problems.push(...ownershipProblems(server, rows, options.publicationName));
  return problems;
}
