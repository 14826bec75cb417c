/**
 * Demo data for Ferry: a messy legacy CRM in MariaDB and an empty, strict new CRM in Postgres.
 *   npx tsx scripts/demo-data/load-demo-data.ts --customers 5000 [--legacy-db x] [--target-db y] [--reset]
 * Servers: FERRY_DEMO_MYSQL_URL (default mysql://root@$DEMO_MARIADB_HOST:3306) and FERRY_DEMO_PG_URL
 * (default postgresql://postgres@$DEMO_POSTGRES_HOST:5432/postgres, where CREATE DATABASE runs);
 * the hosts default to 127.0.0.1 and are the variables docker-compose.yml and seed-demo.ts use.
 *
 * Rows are generated inside MariaDB (INSERT ... SELECT over the Sequence engine's seq_1_to_N), so
 * no row crosses the wire: 1M customers take minutes. Each "random" choice is CRC32(salt || row
 * number) % m, so the same N always gives the same data (except customers.last_modified = load
 * time). Per N: N customers, 3N orders, N tickets, ~0.96 payments per order.
 *
 * The new CRM (new-crm-schema.sql) is created empty and kept between runs (--reset empties it);
 * its contacts and deals generate their own ids and keep the legacy key in legacy_id. Tables
 * of an earlier demo, whose ids were the legacy keys, are dropped and created again.
 *
 * A legacy customer is INVALID for the new CRM when any of these holds (trim = strip leading and
 * trailing spaces, as MariaDB TRIM() and Postgres trim() do):
 *   1. email_addr IS NULL or LOWER(TRIM(email_addr)) does not match
 *      '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$' (empty, no @, @@, spaces, trailing dot);
 *   2. last_nm IS NULL OR TRIM(last_nm) = '';
 *   3. status IS NULL OR UPPER(TRIM(status)) NOT IN ('A','I','P')  ('a' is fine, 'X' is not);
 *   4. created_dt IS NULL or TRIM(created_dt) matches none of (every match is a real date, read as UTC):
 *      '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' (YYYY-MM-DD), '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' (DD/MM/YYYY),
 *      '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}$' (MM-DD-YYYY HH:MM);
 *   5. duplicate: among rows passing 1-4, every row but the lowest cust_id per LOWER(TRIM(email_addr))
 *      (what inserting in cust_id order into the UNIQUE email yields).
 * Nothing else (phone, company, country, notes) makes a row invalid; every non-empty phone is a
 * valid US or London number. In MariaDB use CHAR_LENGTH or CAST(x AS BINARY) to see trailing
 * spaces: the PAD SPACE collation ignores them in '='. Also messy: orders ~0.4% orphan cust_id
 * (> N) + ~0.1% NULL, status 'cancelled ' (trailing space), currency 'usd'; payments refunds < 0,
 * method 'CARD'/NULL; tickets ~0.2% orphans, NULL/'' subject, priority 0/9, state 'OPEN'.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface LoadDemoDataOptions {
  customers: number; legacyDatabase?: string; targetDatabase?: string; reset?: boolean; log?: (line: string) => void;
}
export interface LoadDemoDataResult { customers: number; orders: number; payments: number; tickets: number; seconds: number }

/** Bump when the generated data changes, so existing demo databases are reloaded. */
const GENERATOR_VERSION = 1;
const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Databases we must never drop or fill, whatever the caller passes. */
const RESERVED = new Set(['mysql', 'information_schema', 'performance_schema', 'sys', 'postgres', 'template0', 'template1']);

export function mysqlConfig(): mysql.ConnectionOptions {
  const u = new URL(process.env.FERRY_DEMO_MYSQL_URL ?? `mysql://root@${process.env.DEMO_MARIADB_HOST ?? '127.0.0.1'}:3306`);
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password), dateStrings: true, connectTimeout: 5000 };
}
export function pgUrl(database?: string): string {
  const u = new URL(process.env.FERRY_DEMO_PG_URL ?? `postgresql://postgres@${process.env.DEMO_POSTGRES_HOST ?? '127.0.0.1'}:5432/postgres`);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

/** Turn "connect ECONNREFUSED" (or an empty AggregateError) into a message naming the server. */
async function reach<T>(what: string, where: string, env: string, connect: () => Promise<T>): Promise<T> {
  try { return await connect(); } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new Error(`cannot connect to ${what} at ${where} (${err.message || err.code}); is it running? (${env})`);
  }
}

// ---- SQL expression helpers (all deterministic on the row key) ----
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rnd = (salt: string, mod: number, key = 'seq') => `(CRC32(CONCAT('${salt}', ${key})) % ${mod})`;
const elt = (index1: string, xs: readonly string[]) => `ELT(${index1}, ${xs.map(lit).join(',')})`;
const pick = (salt: string, xs: readonly string[], key = 'seq') => elt(`1 + ${rnd(salt, xs.length, key)}`, xs);
const asciiHandle = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '');

const FIRST = ['James', 'Mary', 'John', 'Linda', 'David', 'Susan', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Mark',
  'Emma', 'Oliver', 'Sophie', 'Lukas', 'Anna', 'Jan', 'Mia', 'José', 'Zoë', 'François', 'Chloé', 'Björn'];
const LAST = ['Smith', 'Johnson', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Moore', 'Lee',
  'Walker', 'King', 'Baker', 'Nguyen', 'Kowalski', 'Schmidt', "O'Brien", 'Müller', 'Dupont', 'Jansen', 'Rossi'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'corp.example.org'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Vandelay'];
const SUFFIXES = ['Inc.', 'Ltd', 'GmbH', 'Logistics', 'Holdings', 'S.A.', 'Group'];
const NOTES = ['VIP customer', 'Prefers email contact', "Don't call before 10am", 'Imported from spreadsheet 2014',
  'Asked for invoice copy\nCalled back twice', 'Key account; see contract "2019-B"'];
const SUBJECTS = ['Cannot log in', 'Invoice question', 'Refund request', 'Delivery delayed', 'Change of address',
  'Product defect', 'Cancel my subscription', 'Password reset', 'Wrong item received', 'Feature request'];

/** Text date from a day offset (from 2015-01-01) in mixed formats, ~3% junk. */
function textDate(dayExpr: string, salt: string): string {
  const at = `(DATE '2015-01-01' + INTERVAL (${dayExpr}) DAY + INTERVAL ${rnd(salt + 's', 86400)} SECOND)`;
  const f = rnd(salt + 'f', 100);
  return `CASE WHEN ${f} < 55 THEN DATE_FORMAT(${at}, '%Y-%m-%d') WHEN ${f} < 78 THEN DATE_FORMAT(${at}, '%d/%m/%Y')
    WHEN ${f} < 97 THEN DATE_FORMAT(${at}, '%m-%d-%Y %H:%i') ELSE ELT(1 + seq % 5, 'n/a', '', 'unknown', 'TBD', NULL) END`;
}
/** Day offset of customer c's creation (2015..2024), and a later day up to mid-2025 for its orders/tickets. */
const custDay = (c: string) => `(CRC32(CONCAT('cd', ${c})) % 3652)`;
const laterDay = (c: string, salt: string) => `(${custDay(c)} + FLOOR((3832 - ${custDay(c)}) * ${rnd(salt, 1000)} / 1000))`;

function customersSql(seq: string): string {
  // 1% re-enter the previous customer: same person, same email up to case/whitespace.
  const id = `IF(seq > 1 AND ${rnd('du', 100)} = 0, seq - 1, seq)`;
  const fi = `1 + ${rnd('fn', FIRST.length, 'id')}`, li = `1 + ${rnd('ln', LAST.length, 'id')}`;
  const e = rnd('em', 1000), c = rnd('ec', 100), p = rnd('ph', 100), s = rnd('st', 1000);
  // Real US area codes, exchanges 220-999 (never N11), London 020 7xxx/8xxx: numbers that phone
  // libraries accept, so normalisation to E.164 is possible for every non-empty phone.
  const pd = `CRC32(CONCAT('pd', seq))`, area = pick('pa', ['212', '312', '415', '617', '713', '305', '206', '404', '503', '702']);
  const exch = `CONCAT(2 + ${pd} % 8, 20 + ${pd} DIV 8 % 80)`;
  const line = `LPAD(${pd} DIV 1000 % 10000, 4, '0')`, uk = `(7000 + ${pd} DIV 10000000 % 2000)`;
  const padName = `${rnd('pn', 100)} < 5`, cy = rnd('cy', 100);
  // Nested derived tables only name intermediate values; MariaDB merges them into one scan.
  return `INSERT INTO customers (cust_id, first_nm, last_nm, email_addr, phone, status, created_dt, company, country, notes)
  SELECT seq, IF(${padName}, CONCAT(' ', fn, ' '), fn),
    CASE WHEN ${rnd('nl', 100)} = 0 THEN NULL WHEN ${padName} THEN CONCAT(ln, '  ') ELSE ln END,
    IF(${rnd('pe', 100)} < 5, CONCAT('  ', em, ' '), em),
    CASE WHEN ${p} < 25 THEN CONCAT('+1 (', ${area}, ') ', ${exch}, '-', ${line}) WHEN ${p} < 45 THEN CONCAT(${area}, '.', ${exch}, '.', ${line})
      WHEN ${p} < 65 THEN CONCAT(${area}, ${exch}, ${line}) WHEN ${p} < 78 THEN CONCAT('+44 20 ', ${uk}, ' ', ${line})
      WHEN ${p} < 88 THEN CONCAT('(0)20 ', ${uk}, ' ', ${line}) WHEN ${p} < 94 THEN '' ELSE NULL END,
    CASE WHEN ${s} < 600 THEN 'A' WHEN ${s} < 800 THEN 'I' WHEN ${s} < 955 THEN 'P' WHEN ${s} < 970 THEN 'a'
      WHEN ${s} < 980 THEN 'i' WHEN ${s} < 985 THEN 'p' WHEN ${s} < 995 THEN 'X' ELSE NULL END,
    ${textDate(custDay('seq'), 'cr')},
    IF(${rnd('co', 100)} < 40, NULL, CONCAT(${pick('cn', COMPANIES)}, ' ', ${pick('cs', SUFFIXES)})),
    CASE WHEN ${cy} < 10 THEN NULL WHEN ${cy} < 18 THEN ${pick('cc', ['DE', 'FR', 'CA', 'NL'])}
      WHEN ${p} BETWEEN 65 AND 87 THEN IF(${cy} < 20, 'gb', 'GB') ELSE IF(${cy} < 20, 'us', 'US') END,
    IF(${rnd('nt', 100)} < 70, NULL, ${pick('nx', NOTES)})
  FROM (SELECT seq, fn, ln, CASE WHEN ${e} < 8 THEN NULL WHEN ${e} < 10 THEN ''
      WHEN ${e} < 30 THEN ELT(1 + ${e} % 4, REPLACE(LOWER(mail), '@', ''), REPLACE(LOWER(mail), '@', '@@'),
        LOWER(INSERT(mail, LOCATE('.', mail), 1, ' ')), CONCAT(LOWER(mail), '.'))
      WHEN ${c} < 15 THEN mail WHEN ${c} < 20 THEN UPPER(mail) ELSE LOWER(mail) END AS em
    FROM (SELECT seq, ${elt(fi, FIRST)} AS fn, ${elt(li, LAST)} AS ln,
        CONCAT(${elt(fi, FIRST.map(asciiHandle))}, '.', ${elt(li, LAST.map(asciiHandle))}, id, '@', ${pick('dm', DOMAINS, 'id')}) AS mail
      FROM (SELECT seq, ${id} AS id FROM ${seq}) a) b) c`;
}

function ordersSql(seq: string, n: number): string {
  const o = rnd('oo', 1000), cu = rnd('cu', 100), st = rnd('os', 100);
  return `INSERT INTO orders (order_no, cust_id, order_date, total_amt, currency, status)
  SELECT CONCAT('ORD-', LPAD(seq, ${Math.max(7, String(3 * n).length)}, '0')), c,
    DATE '2015-01-01' + INTERVAL ${laterDay('COALESCE(c, seq)', 'od')} DAY + INTERVAL ${rnd('ot', 86400)} SECOND,
    (500 + ${rnd('oa', 200000)}) / 100,
    CASE WHEN ${cu} < 60 THEN 'USD' WHEN ${cu} < 80 THEN 'EUR' WHEN ${cu} < 96 THEN 'GBP' ELSE 'usd' END,
    CASE WHEN ${st} < 15 THEN 'NEW' WHEN ${st} < 82 THEN 'SHIPPED' WHEN ${st} < 91 THEN 'CANCELLED'
      WHEN ${st} < 96 THEN 'cancelled ' ELSE 'RETURNED' END
  FROM (SELECT seq, CASE WHEN ${o} < 4 THEN ${n} + seq WHEN ${o} < 5 THEN NULL ELSE 1 + ${rnd('oc', n)} END AS c FROM ${seq}) t`;
}

/** Reads the orders just written: half of NEW and all cancelled orders are unpaid; RETURNED
 *  get a refund and 20% of SHIPPED a second instalment. Ids keep gaps, as real ones do. */
function paymentsSql(): string {
  const m = rnd('pm', 100, "CONCAT(k, '/', p.seq)");
  return `INSERT INTO payments (id, order_no, paid_at, amount, method)
  SELECT (k - 1) * 2 + p.seq, order_no,
    IF(p.seq = 1, order_date + INTERVAL ${rnd('ph', 72, 'k')} HOUR, order_date + INTERVAL 10 + ${rnd('pr', 30, 'k')} DAY),
    CASE WHEN p.seq = 1 AND split THEN ROUND(total_amt / 2, 2) WHEN p.seq = 1 THEN total_amt
      WHEN status = 'RETURNED' THEN -total_amt ELSE total_amt - ROUND(total_amt / 2, 2) END,
    CASE WHEN ${m} < 45 THEN 'card' WHEN ${m} < 55 THEN 'CARD' WHEN ${m} < 70 THEN 'wire' WHEN ${m} < 95 THEN 'paypal' END
  FROM (SELECT order_no, order_date, total_amt, status, k, status = 'SHIPPED' AND ${rnd('ps', 100, 'k')} < 20 AS split
    FROM (SELECT *, CAST(SUBSTRING(order_no, 5) AS UNSIGNED) AS k FROM orders) o0) o STRAIGHT_JOIN (SELECT 1 AS seq UNION ALL SELECT 2) p
  WHERE IF(p.seq = 1, NOT (status = 'NEW' AND ${rnd('pu', 2, 'k')} = 0) AND TRIM(status) <> 'CANCELLED',
    status = 'RETURNED' OR split)`;
}

const BODIES = ['My order has not arrived yet.\nCan you check?', 'I was charged twice for the same order.',
  'Please update my address:\n12 Example Street\nSpringfield', 'The app shows an error "code 500" when I log in.'];

function ticketsSql(seq: string, n: number): string {
  const pr = rnd('tp', 100), st = rnd('tt', 100), sj = rnd('tj', 1000);
  return `INSERT INTO tickets (ticket_id, cust_id, opened, subject, body, priority, state)
  SELECT seq, c, ${textDate(laterDay('c', 'td'), 'to')},
    CASE WHEN ${sj} < 3 THEN NULL WHEN ${sj} < 5 THEN '' ELSE ${pick('ts', SUBJECTS)} END,
    IF(${rnd('tb', 100)} < 10, NULL, ${pick('tx', BODIES)}),
    CASE WHEN ${pr} < 2 THEN 0 WHEN ${pr} < 4 THEN 9 ELSE 1 + ${rnd('tq', 5)} END,
    CASE WHEN ${st} < 25 THEN 'open' WHEN ${st} < 80 THEN 'closed' WHEN ${st} < 92 THEN 'pending' ELSE 'OPEN' END
  FROM (SELECT seq, IF(${rnd('tn', 1000)} < 2, ${n} + seq, 1 + ${rnd('tc', n)}) AS c FROM ${seq}) t`;
}

/** The schema file as statements: [tables, secondary indexes] (split at the @after-load marker). */
function legacySchema(): [string[], string[]] {
  const text = readFileSync(resolve(HERE, 'legacy-crm-schema.sql'), 'utf8');
  const split = (part: string) => part.replace(/--.*$/gm, '').split(';').map((s) => s.trim()).filter(Boolean);
  const [tables, indexes = ''] = text.split('-- @after-load');
  return [split(tables), split(indexes)];
}

type Counts = Omit<LoadDemoDataResult, 'seconds'>;
const since = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

async function loadLegacy(my: mysql.Connection, db: string, n: number, log: (l: string) => void): Promise<Counts> {
  const q = `\`${db}\``;
  const [[found]] = await my.query<mysql.RowDataPacket[]>(`SELECT
    (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?) AS db,
    (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = '_ferry_demo_meta') AS meta`, [db, db]);
  if (Number(found.meta) > 0) {
    const [[m]] = await my.query<mysql.RowDataPacket[]>(`SELECT * FROM ${q}._ferry_demo_meta WHERE id = 1`);
    if (m?.completed_at && m.customers === n && m.generator_version === GENERATOR_VERSION) {
      const [[{ c }]] = await my.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS c FROM ${q}.customers`);
      if (Number(c) === n) {
        log(`${db} already holds ${n} customers (loaded ${m.completed_at}); nothing to do`);
        return { customers: n, orders: m.orders, payments: m.payments, tickets: m.tickets };
      }
    }
  } else if (Number(found.db) > 0) {
    // Only ever drop what this loader created: even an empty database without its marker may be someone's.
    throw new Error(`MariaDB database ${db} exists but was not created by the demo loader; refusing to drop it`);
  }
  log(`creating ${db} with ${n} customers`);
  await my.query(`DROP DATABASE IF EXISTS ${q}`);
  await my.query(`CREATE DATABASE ${q} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await my.query(`USE ${q}`);
  // unique_checks/foreign_key_checks off lets InnoDB bulk-load empty tables (sorted, no undo per row).
  await my.query(`SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION', unique_checks = 0, foreign_key_checks = 0`);
  const [tableDdl, indexDdl] = legacySchema();
  for (const s of tableDdl) await my.query(s);
  await my.query('INSERT INTO _ferry_demo_meta (id, generator_version, customers, started_at) VALUES (1, ?, ?, NOW())',
    [GENERATOR_VERSION, n]);
  const seq = await sequenceSource(my, 3 * n);
  const run = async (label: string, sql: string) => {
    const t = performance.now();
    const [r] = await my.query<mysql.ResultSetHeader>(sql);
    log(`  ${label}: ${r.affectedRows} rows in ${since(t)}s`);
    return r.affectedRows;
  };
  const customers = await run('customers', customersSql(seq(n)));
  const orders = await run('orders', ordersSql(seq(3 * n), n));
  const tickets = await run('tickets', ticketsSql(seq(n), n));
  const payments = await run('payments', paymentsSql());
  const t = performance.now();
  for (const s of indexDdl) await my.query(s);
  log(`  indexes: ${since(t)}s`);
  await my.query('UPDATE _ferry_demo_meta SET orders = ?, payments = ?, tickets = ?, completed_at = NOW() WHERE id = 1',
    [orders, payments, tickets]);
  return { customers, orders, payments, tickets };
}

/** Row source: the Sequence engine's seq_1_to_N; without it (or with FERRY_DEMO_NO_SEQUENCE=1, to test
 *  this path) a slower recursive CTE yielding the same numbers. */
async function sequenceSource(my: mysql.Connection, max: number): Promise<(n: number) => string> {
  const [eng] = await my.query<mysql.RowDataPacket[]>("SELECT 1 FROM information_schema.engines WHERE engine = 'SEQUENCE' AND support IN ('YES', 'DEFAULT')");
  if (eng.length > 0 && process.env.FERRY_DEMO_NO_SEQUENCE !== '1') return (n) => `seq_1_to_${n}`;
  await my.query('SET SESSION max_recursive_iterations = ?', [max + 1]);
  return (n) => `(WITH RECURSIVE s (seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < ${n}) SELECT seq FROM s) sq`;
}

/** Key columns as new-crm-schema.sql shapes them: type, and whether the database generates the value. */
const CURRENT_KEY_COLUMNS: Record<string, string> = {
  'contacts.id': 'bigint identity', 'contacts.legacy_id': 'bigint', 'deals.id': 'uuid', 'deals.legacy_id': 'text', 'payments.deal_id': 'uuid',
};

/** Whether any of the new CRM's tables exists in another shape than the schema file's (a demo machine that ran an older version). */
async function hasOutdatedTables(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ t: string; c: string; type: string; identity: string }>(
    `SELECT table_name AS t, column_name AS c, data_type AS type, is_identity AS identity FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('contacts', 'deals', 'payments')`);
  const found = new Map(rows.map((r) => [`${r.t}.${r.c}`, `${r.type}${r.identity === 'YES' ? ' identity' : ''}`]));
  const tables = new Set(rows.map((r) => r.t));
  return Object.entries(CURRENT_KEY_COLUMNS).some(([column, shape]) => tables.has(column.split('.')[0]) && found.get(column) !== shape);
}

async function ensureTarget(db: string, reset: boolean, log: (l: string) => void): Promise<void> {
  const where = new URL(pgUrl()).host;
  const admin = new pg.Client({ connectionString: pgUrl() });
  await reach('PostgreSQL', where, 'set FERRY_DEMO_PG_URL or DEMO_POSTGRES_HOST', () => admin.connect());
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${db}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created concurrently: fine
      });
      log(`created PostgreSQL database ${db}`);
    }
  } finally { await admin.end(); }
  const client = new pg.Client({ connectionString: pgUrl(db) });
  await reach('PostgreSQL', where, 'set FERRY_DEMO_PG_URL or DEMO_POSTGRES_HOST', () => client.connect());
  try {
    if (reset) {
      // Tables and the types they use, nothing else: no CASCADE into objects we did not create.
      await client.query('DROP TABLE IF EXISTS cases, payments, deals, contacts; DROP TYPE IF EXISTS case_state, deal_stage, contact_status');
      log(`reset ${db}: dropped the new CRM tables`);
    } else if (await hasOutdatedTables(client)) {
      // CREATE TABLE IF NOT EXISTS would keep them, and no mapping of today's demo fits them.
      await client.query('DROP TABLE IF EXISTS cases, payments, deals, contacts');
      log(`${db} had the new CRM tables of an earlier demo (ids = legacy keys): dropped them to create them again`);
    }
    await client.query(readFileSync(resolve(HERE, 'new-crm-schema.sql'), 'utf8'));
  } finally { await client.end(); }
}

export async function loadDemoData(opts: LoadDemoDataOptions): Promise<LoadDemoDataResult> {
  const t = performance.now();
  const log = opts.log ?? (() => {});
  const n = opts.customers;
  const legacyDb = opts.legacyDatabase ?? 'legacy_crm', targetDb = opts.targetDatabase ?? 'new_crm';
  if (!Number.isInteger(n) || n < 1 || n > 100_000_000) throw new Error(`customers must be an integer from 1 to 100000000, got ${n}`);
  for (const name of [legacyDb, targetDb]) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name) || RESERVED.has(name.toLowerCase())) {
      throw new Error(`refusing database name "${name}" (letters, digits, _; not a system database)`);
    }
  }
  const cfg = mysqlConfig();
  const my = await reach('MariaDB', `${cfg.host}:${cfg.port}`, 'set FERRY_DEMO_MYSQL_URL or DEMO_MARIADB_HOST', () => mysql.createConnection(cfg));
  let counts: Counts;
  try { counts = await loadLegacy(my, legacyDb, n, log); } finally { await my.end(); }
  await ensureTarget(targetDb, opts.reset ?? false, log);
  return { ...counts, seconds: Number(since(t)) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: {
    customers: { type: 'string', default: '5000' }, 'legacy-db': { type: 'string' }, 'target-db': { type: 'string' },
    reset: { type: 'boolean', default: false } } });
  loadDemoData({ customers: Number(values.customers), legacyDatabase: values['legacy-db'],
    targetDatabase: values['target-db'], reset: values.reset, log: (l) => console.log(l) }).then(
    (r) => console.log(`done in ${r.seconds}s: ${r.customers} customers, ${r.orders} orders, ${r.payments} payments, ${r.tickets} tickets`),
    (e: Error) => { console.error(`load-demo-data: ${e.message}`); process.exitCode = 1; });
}
