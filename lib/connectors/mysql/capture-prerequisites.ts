import type { CapturePrerequisite, CaptureTableRef } from '../../schemas/capture-prerequisite';
import { quoteMysqlIdent } from './quote-ident';

/**
 * What reading the binlog (ROW events with whole rows) needs from a MySQL 8 or MariaDB
 * source and its user, checked with reads only. Grants are read from USER_PRIVILEGES, so
 * a privilege that reaches the user only through a role is not seen: grant it directly.
 */

/** Three days: long enough for a reader to be down over a weekend, short enough for the disk. */
export const SUGGESTED_BINLOG_EXPIRY_S = 259_200;

/** The queries this check runs, as one function so the caller picks the session (a pool, a test's connection). */
export type MysqlQuery = <R>(sql: string, values?: unknown[]) => Promise<R[]>;

interface Server {
  mariaDb: boolean;
  /** e.g. [10, 11, 19] */
  version: number[];
  vars: Map<string, string>;
  /** `` `user`@`host` ``, as GRANT takes it (backticks: no escaping that depends on sql_mode) */
  account: string;
  privileges: Set<string>;
}

/** MariaDB 10.5 split REPLICATION CLIENT into BINLOG MONITOR and SLAVE MONITOR; a binlog reader needs the first. */
function monitorPrivilege(s: Server): string {
  const [major, minor] = s.version;
  return s.mariaDb && (major > 10 || (major === 10 && minor >= 5)) ? 'BINLOG MONITOR' : 'REPLICATION CLIENT';
}

/** MySQL 8 persists a SET across restarts itself; MariaDB needs the option file too. */
function setGlobal(s: Server, name: string, value: string): { fix: string; config?: string } {
  if (!s.mariaDb && s.version[0] >= 8) return { fix: `SET PERSIST ${name} = ${value};` };
  return { fix: `SET GLOBAL ${name} = ${value};`, config: `[mysqld]\n${name} = ${value.replace(/'/g, '')}` };
}

/** CURRENT_USER() is `user@host`; the user part may itself hold an @. */
function splitAccount(currentUser: string): { user: string; host: string } {
  const at = currentUser.lastIndexOf('@');
  return { user: currentUser.slice(0, at), host: currentUser.slice(at + 1) };
}

async function readServer(query: MysqlQuery): Promise<Server> {
  const [{ version, account: currentUser }] = await query<{ version: string; account: string }>(
    'SELECT VERSION() AS version, CURRENT_USER() AS account',
  );
  // SHOW VARIABLES rather than @@names: a variable an older server lacks is absent, not an error.
  const vars = await query<{ Variable_name: string; Value: string }>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image', 'binlog_row_metadata',
       'server_id', 'binlog_expire_logs_seconds', 'expire_logs_days')`,
  );
  const { user, host } = splitAccount(currentUser);
  // USER_PRIVILEGES names the grantee 'user'@'host', quotes unescaped.
  const grantee = `'${user}'@'${host}'`;
  const granted = await query<{ GRANTEE: string; PRIVILEGE_TYPE: string }>(
    'SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES',
  );
  return {
    mariaDb: /mariadb/i.test(version),
    version: version.split(/[.-]/).slice(0, 3).map(Number),
    vars: new Map(vars.map((v) => [v.Variable_name.toLowerCase(), String(v.Value)])),
    account: `${quoteMysqlIdent(user)}@${quoteMysqlIdent(host)}`,
    privileges: new Set(granted.filter((g) => g.GRANTEE === grantee).map((g) => g.PRIVILEGE_TYPE.toUpperCase())),
  };
}

function serverProblems(s: Server): CapturePrerequisite[] {
  const problems: CapturePrerequisite[] = [];
  const v = (name: string) => s.vars.get(name)?.toUpperCase();
  if (v('log_bin') !== 'ON') {
    problems.push({
      code: 'binlog_off',
      severity: 'error',
      message: 'The server writes no binlog (log_bin is OFF), and log_bin cannot change at run time: add these lines to its option file and restart it.',
      fix: `[mysqld]\nlog_bin = mysql-bin\nserver_id = 1\nbinlog_format = ROW\nbinlog_row_image = FULL\nbinlog_expire_logs_seconds = ${SUGGESTED_BINLOG_EXPIRY_S}`,
    });
  }
  if (v('binlog_format') !== 'ROW') {
    problems.push({
      code: 'binlog_not_row',
      severity: 'error',
      message: `The binlog is in ${v('binlog_format') ?? 'an unknown'} format; change capture reads rows, so it needs binlog_format=ROW (sessions already open keep their format until they reconnect).`,
      ...setGlobal(s, 'binlog_format', "'ROW'"),
    });
  }
  if (v('binlog_row_image') !== 'FULL') {
    problems.push({
      code: 'row_image_not_full',
      severity: 'error',
      message: `The binlog logs ${v('binlog_row_image') ?? 'unknown'} row images; change capture needs whole rows before and after each change (binlog_row_image=FULL).`,
      ...setGlobal(s, 'binlog_row_image', "'FULL'"),
    });
  }
  if (v('server_id') === '0') {
    problems.push({
      code: 'server_id_unset',
      severity: 'error',
      message: 'server_id is 0: a server with binlog but no server id refuses replication connections.',
      ...setGlobal(s, 'server_id', '1'),
    });
  }
  if (s.vars.has('binlog_row_metadata') && v('binlog_row_metadata') !== 'FULL') {
    problems.push({
      code: 'row_metadata_not_full',
      severity: 'warning',
      message: 'binlog_row_metadata is not FULL: row events then carry no column names, and a column added or dropped while capture runs is decoded by position only.',
      ...setGlobal(s, 'binlog_row_metadata', "'FULL'"),
    });
  }
  // MySQL 8 and MariaDB 10.6+ keep both variables; the seconds win when set.
  const seconds = Number(s.vars.get('binlog_expire_logs_seconds') ?? 0);
  const effective = seconds > 0 ? seconds : Number(s.vars.get('expire_logs_days') ?? 0) * 86_400;
  if (effective < 86_400) {
    problems.push({
      code: 'binlog_expiry',
      severity: 'warning',
      message:
        effective === 0
          ? 'Binlogs never expire: they grow until the disk is full.'
          : `Binlogs expire after ${Math.round(effective / 3600)} h: a reader stopped for longer loses its position and needs a new snapshot.`,
      ...(s.vars.has('binlog_expire_logs_seconds')
        ? setGlobal(s, 'binlog_expire_logs_seconds', String(SUGGESTED_BINLOG_EXPIRY_S))
        : setGlobal(s, 'expire_logs_days', '3')),
    });
  }
  const needed = ['REPLICATION SLAVE', monitorPrivilege(s)];
  const missing = needed.filter((p) => !s.privileges.has(p));
  if (missing.length > 0) {
    problems.push({
      code: 'missing_grants',
      severity: 'error',
      message: `${s.account} lacks ${missing.join(' and ')}: reading the binlog needs REPLICATION SLAVE, and finding positions in it (SHOW MASTER STATUS, SHOW BINARY LOGS) needs ${monitorPrivilege(s)}. As an administrator:`,
      fix: `GRANT ${missing.join(', ')} ON *.* TO ${s.account};`,
    });
  }
  return problems;
}

const errnoOf = (err: unknown): number | undefined => {
  const errno = (err as { errno?: unknown }).errno;
  return typeof errno === 'number' ? errno : undefined;
};

interface IndexColumn {
  INDEX_NAME: string;
  NON_UNIQUE: number | string;
  COLUMN_NAME: string;
  NULLABLE: string;
}

async function tableProblems(query: MysqlQuery, s: Server, database: string, table: string): Promise<CapturePrerequisite[]> {
  const name = `${database}.${table}`;
  const qualified = `${quoteMysqlIdent(database)}.${quoteMysqlIdent(table)}`;
  try {
    await query(`SELECT 1 FROM ${qualified} LIMIT 0`);
  } catch (err) {
    // 1146: no such table; 1142: no SELECT on it (the server says so only for tables that exist or that the user may see).
    if (errnoOf(err) === 1146) {
      return [{ code: 'table_missing', severity: 'error', table: name, message: `Table ${name} does not exist.`, fix: `-- check the table name: ${name}` }];
    }
    if (errnoOf(err) === 1142) {
      return [{
        code: 'table_select_privilege',
        severity: 'error',
        table: name,
        message: `${s.account} may not read ${name}, which the initial snapshot does.`,
        fix: `GRANT SELECT ON ${qualified} TO ${s.account};`,
      }];
    }
    throw err;
  }
  const indexes = await query<IndexColumn>(
    `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, NULLABLE FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [database, table],
  );
  if (indexes.some((i) => i.INDEX_NAME === 'PRIMARY')) return [];
  const unique = new Map<string, IndexColumn[]>();
  for (const i of indexes.filter((c) => Number(c.NON_UNIQUE) === 0)) unique.set(i.INDEX_NAME, [...(unique.get(i.INDEX_NAME) ?? []), i]);
  const candidate = [...unique.values()].find((cols) => cols.every((c) => c.NULLABLE !== 'YES'));
  if (candidate) {
    return [{
      code: 'primary_key',
      severity: 'warning',
      table: name,
      message: `Table ${name} has no primary key; its unique index ${candidate[0].INDEX_NAME} over NOT NULL columns identifies rows, so choose those columns as the sync's key (or make them the primary key).`,
      fix: `ALTER TABLE ${qualified} ADD PRIMARY KEY (${candidate.map((c) => quoteMysqlIdent(c.COLUMN_NAME)).join(', ')});`,
    }];
  }
  return [{
    code: 'primary_key',
    severity: 'error',
    table: name,
    message: `Table ${name} has no primary key and no unique index over NOT NULL columns: an update or delete in the binlog cannot be matched to one target row. Add a primary key over the columns that identify a row, or a surrogate key:`,
    fix: `ALTER TABLE ${qualified} ADD COLUMN ferry_row_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY;`,
  }];
}

/** The problems of this source for capturing `tables` from its binlog (empty: ready). */
export async function checkMysqlCapturePrerequisites(
  query: MysqlQuery,
  tables: CaptureTableRef[],
  options: { defaultDatabase: string },
): Promise<CapturePrerequisite[]> {
  const server = await readServer(query);
  const problems = serverProblems(server);
  for (const t of tables) problems.push(...(await tableProblems(query, server, t.schema ?? options.defaultDatabase, t.table)));
  return problems;
}
