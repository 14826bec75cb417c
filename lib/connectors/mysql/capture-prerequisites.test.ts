import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMysqlCapturePrerequisites, type MysqlQuery } from './capture-prerequisites';

/**
 * Servers this machine does not run (MySQL 8, an older MariaDB, a binlog that is off) as
 * the rows they answer the check's reads with; the real MariaDB 10.11 is covered by
 * tests/integration/capture-prerequisites.test.ts.
 */
function server(version: string, vars: Record<string, string>, privileges: string[], user = 'app@%'): MysqlQuery {
  return async <R>(sql: string): Promise<R[]> => {
    if (sql.startsWith('SELECT VERSION()')) return [{ version, account: user }] as R[];
    if (sql.startsWith('SHOW GLOBAL VARIABLES')) return Object.entries(vars).map(([Variable_name, Value]) => ({ Variable_name, Value })) as R[];
    if (sql.includes('USER_PRIVILEGES')) {
      const at = user.lastIndexOf('@');
      return privileges.map((p) => ({ GRANTEE: `'${user.slice(0, at)}'@'${user.slice(at + 1)}'`, PRIVILEGE_TYPE: p })) as R[];
    }
    throw new Error(`unexpected query ${sql}`);
  };
}

const rowBinlog = { log_bin: 'ON', binlog_format: 'ROW', binlog_row_image: 'FULL', binlog_row_metadata: 'FULL', server_id: '1', binlog_expire_logs_seconds: '259200', expire_logs_days: '3' };

test('MySQL 8: SET PERSIST, and REPLICATION CLIENT rather than BINLOG MONITOR', async () => {
  const problems = await checkMysqlCapturePrerequisites(server('8.0.36', { ...rowBinlog, binlog_format: 'MIXED', binlog_row_image: 'MINIMAL' }, []), [], { defaultDatabase: 'crm' });
  assert.deepEqual(problems.map((p) => [p.code, p.severity, p.fix, p.config]), [
    ['binlog_not_row', 'error', "SET PERSIST binlog_format = 'ROW';", undefined],
    ['row_image_not_full', 'error', "SET PERSIST binlog_row_image = 'FULL';", undefined],
    ['missing_grants', 'error', "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `app`@`%`;", undefined],
  ]);
});

test('MariaDB: SET GLOBAL plus the option-file line that keeps it; only the missing grant is named', async () => {
  const problems = await checkMysqlCapturePrerequisites(server('10.11.6-MariaDB', { ...rowBinlog, binlog_format: 'MIXED' }, ['REPLICATION SLAVE']), [], { defaultDatabase: 'crm' });
  assert.deepEqual(problems.map((p) => [p.code, p.fix, p.config]), [
    ['binlog_not_row', "SET GLOBAL binlog_format = 'ROW';", '[mysqld]\nbinlog_format = ROW'],
    ['missing_grants', "GRANT BINLOG MONITOR ON *.* TO `app`@`%`;", undefined],
  ]);
});

test('MariaDB before 10.5 has no BINLOG MONITOR: REPLICATION CLIENT', async () => {
  const problems = await checkMysqlCapturePrerequisites(server('10.3.39-MariaDB', rowBinlog, []), [], { defaultDatabase: 'crm' });
  assert.equal(problems.find((p) => p.code === 'missing_grants')?.fix, "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `app`@`%`;");
});

test('binlog off: the option-file lines and a restart; binlogs that never expire are a warning', async () => {
  const problems = await checkMysqlCapturePrerequisites(
    server('10.11.6-MariaDB', { ...rowBinlog, log_bin: 'OFF', binlog_expire_logs_seconds: '0', expire_logs_days: '0' }, ['REPLICATION SLAVE', 'BINLOG MONITOR']),
    [],
    { defaultDatabase: 'crm' },
  );
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['binlog_off', 'error'], ['binlog_expiry', 'warning']]);
  assert.match(problems[0].message, /restart/);
  assert.match(problems[0].fix, /^\[mysqld\]\nlog_bin = mysql-bin\nserver_id = 1\n/);
  assert.equal(problems[1].fix, 'SET GLOBAL binlog_expire_logs_seconds = 259200;');
});

test("the GRANT's account is quoted whatever the user name holds", async () => {
  const query = server('10.11.6-MariaDB', rowBinlog, ['REPLICATION SLAVE'], "o'ne`il@x@10.0.0.%");
  const [grant] = await checkMysqlCapturePrerequisites(query, [], { defaultDatabase: 'crm' });
  assert.equal(grant.fix, 'GRANT BINLOG MONITOR ON *.* TO `o\'ne``il@x`@`10.0.0.%`;');
});
