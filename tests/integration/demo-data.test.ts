// Integration test for the demo data loader: needs the local MariaDB and PostgreSQL servers
// (FERRY_DEMO_MYSQL_URL or DEMO_MARIADB_HOST, FERRY_DEMO_PG_URL or DEMO_POSTGRES_HOST).
// A missing server fails the run with a message saying which one: never skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadDemoData, mysqlConfig, pgUrl } from '../../scripts/demo-data/load-demo-data';

const LEGACY = 'legacy_crm_it';
const TARGET = 'new_crm_it';
const N = 2000;
const opts = { customers: N, legacyDatabase: LEGACY, targetDatabase: TARGET };
let my: mysql.Connection | undefined;

async function withPg<T>(database: string | undefined, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl(database) });
  await client.connect().catch((e: Error & { code?: string }) => {
    throw new Error(`PostgreSQL is not reachable at ${new URL(pgUrl()).host} (${e.code ?? e.message}); start it or set FERRY_DEMO_PG_URL / DEMO_POSTGRES_HOST`);
  });
  try { return await fn(client); } finally { await client.end(); }
}
const dropTarget = () => withPg(undefined, (c) => c.query(`DROP DATABASE IF EXISTS "${TARGET}" WITH (FORCE)`));

/** First row of a MariaDB query, every column as a number. */
async function numbers(sql: string): Promise<Record<string, number>> {
  const [rows] = await my!.query<mysql.RowDataPacket[]>(sql);
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}
function assertAllPositive(found: Record<string, number>) {
  for (const [kind, count] of Object.entries(found)) assert.ok(count > 0, `expected some rows with ${kind}, found none`);
}
function assertShare(count: number, total: number, min: number, max: number, what: string) {
  const share = count / total;
  assert.ok(share >= min && share <= max, `${what}: ${(share * 100).toFixed(2)}% not within ${min * 100}-${max * 100}%`);
}

before(async () => {
  const cfg = mysqlConfig();
  my = await mysql.createConnection(cfg).catch((e: Error & { code?: string }) => {
    throw new Error(`MariaDB is not reachable at ${cfg.host}:${cfg.port} (${e.code ?? e.message}); start it or set FERRY_DEMO_MYSQL_URL / DEMO_MARIADB_HOST`);
  });
  // Start from nothing, so the first load really loads (an interrupted run may have left these).
  await my.query(`DROP DATABASE IF EXISTS ${LEGACY}`);
  await dropTarget();
});

after(async () => {
  if (my) {
    await my.query(`DROP DATABASE IF EXISTS ${LEGACY}`);
    await my.end();
    await dropTarget();
  }
});

test('loads the requested number of customers and about 3 orders, 1 payment per order, 1 ticket each', async () => {
  const r = await loadDemoData({ ...opts, reset: true });
  assert.equal(r.customers, N);
  assert.equal(r.orders, 3 * N);
  assert.equal(r.tickets, N);
  assertShare(r.payments, r.orders, 0.85, 1.1, 'payments per order');
  await my!.query(`USE ${LEGACY}`);
  const c = await numbers(`SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM orders) AS orders,
    (SELECT COUNT(*) FROM payments) AS payments, (SELECT COUNT(*) FROM tickets) AS tickets`);
  assert.deepEqual(c, { customers: r.customers, orders: r.orders, payments: r.payments, tickets: r.tickets });
});

test('customers hold every kind of mess', async () => {
  const phone = (re: string) => `phone REGEXP '${re}'`;
  const date = (re: string) => `TRIM(created_dt) REGEXP '${re}'`;
  const ISO = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', DMY = '^[0-9]{2}/[0-9]{2}/[0-9]{4}$';
  const MDY = '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}$';
  const kinds: Record<string, string> = {
    padded_email: 'CHAR_LENGTH(email_addr) <> CHAR_LENGTH(TRIM(email_addr))',
    padded_name: 'CHAR_LENGTH(first_nm) <> CHAR_LENGTH(TRIM(first_nm)) OR CHAR_LENGTH(last_nm) <> CHAR_LENGTH(TRIM(last_nm))',
    mixed_case_email: 'CAST(email_addr AS BINARY) <> CAST(LOWER(email_addr) AS BINARY)',
    invalid_email: `TRIM(email_addr) <> '' AND NOT LOWER(TRIM(email_addr)) REGEXP '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$'`,
    email_without_at: `TRIM(email_addr) <> '' AND email_addr NOT LIKE '%@%'`,
    email_double_at: `email_addr LIKE '%@@%'`,
    email_inner_space: `TRIM(email_addr) LIKE '% %'`,
    email_trailing_dot: `TRIM(email_addr) LIKE '%.'`,
    email_null: 'email_addr IS NULL',
    email_empty: `email_addr = ''`,
    last_name_null: 'last_nm IS NULL',
    phone_us_intl: phone('^[+]1 [(][0-9]{3}[)] [0-9]{3}-[0-9]{4}$'),
    phone_dotted: phone('^[0-9]{3}[.][0-9]{3}[.][0-9]{4}$'),
    phone_digits: phone('^[0-9]{10}$'),
    phone_uk_intl: phone('^[+]44 20 [0-9]{4} [0-9]{4}$'),
    phone_uk_national: phone('^[(]0[)]20 [0-9]{4} [0-9]{4}$'),
    phone_empty: `phone = ''`,
    phone_null: 'phone IS NULL',
    status_upper: `CAST(status AS BINARY) IN ('A', 'I', 'P')`,
    status_lower: `CAST(status AS BINARY) IN ('a', 'i', 'p')`,
    status_unknown: `status = 'X'`,
    status_null: 'status IS NULL',
    date_iso: date(ISO),
    date_dmy: date(DMY),
    date_mdy_time: date(MDY),
    date_junk: `created_dt IS NULL OR NOT (${date(ISO)} OR ${date(DMY)} OR ${date(MDY)})`,
  };
  const found = await numbers(`SELECT ${Object.entries(kinds).map(([k, cond]) => `COALESCE(SUM(${cond}), 0) AS ${k}`).join(', ')} FROM customers`);
  assertAllPositive(found);
  for (const s of ['A', 'I', 'P', 'a', 'i', 'p']) {
    const [rows] = await my!.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS c FROM customers WHERE CAST(status AS BINARY) = ?', [s]);
    assert.ok(Number(rows[0].c) > 0, `expected customers with status '${s}'`);
  }
  assertShare(found.padded_email, N, 0.03, 0.08, 'padded emails');
  assertShare(found.mixed_case_email, N, 0.15, 0.25, 'mixed-case emails');
  assertShare(found.invalid_email, N, 0.01, 0.035, 'invalid emails');
  assertShare(found.last_name_null, N, 0.004, 0.02, 'NULL last names');

  const dup = await numbers(`SELECT COUNT(*) AS emails, COALESCE(SUM(raw > 1), 0) AS differing_raw FROM (
    SELECT LOWER(TRIM(email_addr)) AS e, COUNT(*) AS n, COUNT(DISTINCT CAST(email_addr AS BINARY)) AS raw
    FROM customers WHERE TRIM(email_addr) <> '' GROUP BY e HAVING n > 1) d`);
  assertAllPositive(dup);
  assertShare(dup.emails, N, 0.005, 0.02, 'shared emails');
});

test('orders, payments and tickets hold their mess too', async () => {
  const found = await numbers(`SELECT
    (SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.cust_id = o.cust_id WHERE o.cust_id IS NOT NULL AND c.cust_id IS NULL) AS orphan_orders,
    (SELECT COUNT(*) FROM orders WHERE cust_id IS NULL) AS orders_without_customer,
    (SELECT COUNT(*) FROM orders WHERE CAST(status AS BINARY) = 'cancelled ') AS status_with_space,
    (SELECT COUNT(*) FROM orders WHERE CAST(currency AS BINARY) = 'usd') AS lowercase_currency,
    (SELECT COUNT(*) FROM payments WHERE amount < 0) AS refunds,
    (SELECT COUNT(*) FROM payments WHERE method IS NULL) AS payment_method_null,
    (SELECT COUNT(*) FROM payments WHERE CAST(method AS BINARY) = 'CARD') AS payment_method_upper,
    (SELECT COUNT(*) FROM tickets WHERE priority NOT BETWEEN 1 AND 5) AS bad_priority,
    (SELECT COUNT(*) FROM tickets WHERE CAST(state AS BINARY) = 'OPEN') AS state_upper,
    (SELECT COUNT(*) FROM tickets t LEFT JOIN customers c ON c.cust_id = t.cust_id WHERE c.cust_id IS NULL) AS orphan_tickets`);
  assertAllPositive(found);
  assertShare(found.orphan_orders, 3 * N, 0.002, 0.008, 'orphan orders');
});

test('the documented validity rules reject a plausible share of customers for each reason', async () => {
  // The rules from the header of load-demo-data.ts, as SQL.
  const r = await numbers(`WITH c AS (
      SELECT cust_id, LOWER(TRIM(email_addr)) AS e,
        COALESCE(LOWER(TRIM(email_addr)) REGEXP '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$', 0) AS email_ok,
        COALESCE(TRIM(last_nm) <> '', 0) AS last_ok,
        COALESCE(UPPER(TRIM(status)) IN ('A', 'I', 'P'), 0) AS status_ok,
        COALESCE(TRIM(created_dt) REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR TRIM(created_dt) REGEXP '^[0-9]{2}/[0-9]{2}/[0-9]{4}$'
          OR TRIM(created_dt) REGEXP '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}$', 0) AS date_ok
      FROM customers),
    passing AS (SELECT ROW_NUMBER() OVER (PARTITION BY e ORDER BY cust_id) AS rn FROM c WHERE email_ok AND last_ok AND status_ok AND date_ok)
    SELECT SUM(NOT email_ok) AS bad_email, SUM(NOT last_ok) AS bad_last_name, SUM(NOT status_ok) AS bad_status,
      SUM(NOT date_ok) AS bad_created_dt, (SELECT COUNT(*) FROM passing WHERE rn > 1) AS duplicate,
      (SELECT COUNT(*) FROM passing WHERE rn = 1) AS valid FROM c`);
  assertAllPositive(r);
  assertShare(r.valid, N, 0.85, 0.97, 'valid customers');
});

test('the new CRM exists with its four tables, empty', async () => {
  await withPg(TARGET, async (c) => {
    const { rows } = await c.query(`SELECT
      (SELECT COUNT(*) FROM contacts)::int AS contacts, (SELECT COUNT(*) FROM deals)::int AS deals,
      (SELECT COUNT(*) FROM payments)::int AS payments, (SELECT COUNT(*) FROM cases)::int AS cases`);
    assert.deepEqual(rows[0], { contacts: 0, deals: 0, payments: 0, cases: 0 });
    const types = await c.query(`SELECT typname FROM pg_type WHERE typname IN ('contact_status', 'deal_stage', 'case_state') ORDER BY 1`);
    assert.deepEqual(types.rows.map((t) => t.typname), ['case_state', 'contact_status', 'deal_stage']);
  });
});

test('contacts and deals get ids of the new CRM and keep the legacy key; their children refer to the new ids', async () => {
  await withPg(TARGET, async (c) => {
    const { rows: contact } = await c.query(`INSERT INTO contacts (legacy_id, email, full_name, last_name, status, created_at)
      VALUES (7, 'kim@example.com', 'Kim Park', 'Park', 'active', now()) RETURNING id`);
    const { rows: deal } = await c.query(`INSERT INTO deals (legacy_id, contact_id, amount, currency, stage, created_at)
      VALUES ('ORD-0000007', $1, 10, 'USD', 'open', now()) RETURNING id`, [contact[0].id]);
    assert.match(deal[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'deals.id is a generated UUID');
    await c.query(`INSERT INTO payments (id, deal_id, amount, method, paid_at) VALUES (70, $1, 10, 'card', now())`, [deal[0].id]);
    await c.query(`INSERT INTO cases (id, contact_id, subject, priority, state, opened_at) VALUES (700, $1, 'Hi', 3, 'open', now())`, [contact[0].id]);
    await assert.rejects(c.query(`INSERT INTO contacts (legacy_id, email, full_name, last_name, status, created_at)
      VALUES (7, 'kim2@example.com', 'Kim Park', 'Park', 'active', now())`), /contacts_legacy_id_key/, 'legacy_id is unique');
    await assert.rejects(c.query(`INSERT INTO deals (legacy_id, contact_id, amount, currency, stage, created_at)
      VALUES ('ORD-0000008', 7, 10, 'USD', 'open', now())`), /foreign key/, 'a legacy customer id is not a contact id');
    await c.query('TRUNCATE cases, payments, deals, contacts');
  });
});

test('a new CRM of the earlier shape (ids = legacy keys) is dropped and created again', async () => {
  await withPg(TARGET, (c) => c.query(`DROP TABLE cases, payments, deals, contacts;
    CREATE TABLE contacts (id BIGINT PRIMARY KEY, email TEXT NOT NULL);
    CREATE TABLE deals (id TEXT PRIMARY KEY, contact_id BIGINT NOT NULL REFERENCES contacts (id));
    CREATE TABLE payments (id BIGINT PRIMARY KEY, deal_id TEXT NOT NULL REFERENCES deals (id));
    INSERT INTO contacts VALUES (1, 'a@example.com')`));
  const lines: string[] = [];
  await loadDemoData({ ...opts, log: (l) => lines.push(l) });
  assert.match(lines.join('\n'), /earlier demo/);
  await withPg(TARGET, async (c) => {
    const { rows } = await c.query(`SELECT table_name || '.' || column_name AS c, data_type || CASE WHEN is_identity = 'YES' THEN ' identity' ELSE '' END AS t
      FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('id', 'legacy_id', 'deal_id', 'contact_id') ORDER BY 1`);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.c, r.t])), {
      'cases.contact_id': 'bigint', 'cases.id': 'bigint', 'contacts.id': 'bigint identity', 'contacts.legacy_id': 'bigint',
      'deals.contact_id': 'bigint', 'deals.id': 'uuid', 'deals.legacy_id': 'text', 'payments.deal_id': 'uuid', 'payments.id': 'bigint',
    });
    assert.equal((await c.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n, 0);
  });
  lines.length = 0;
  await loadDemoData({ ...opts, log: (l) => lines.push(l) });
  assert.doesNotMatch(lines.join('\n'), /earlier demo/, 'the current shape is kept');
});

test('re-running with the same size is a fast no-op', async () => {
  const [[before]] = await my!.query<mysql.RowDataPacket[]>(`SELECT completed_at FROM ${LEGACY}._ferry_demo_meta`);
  const lines: string[] = [];
  const started = Date.now();
  const r = await loadDemoData({ ...opts, log: (l) => lines.push(l) });
  assert.ok(Date.now() - started < 5000, `no-op took ${Date.now() - started} ms`);
  assert.match(lines.join('\n'), /nothing to do/);
  const [[afterRun]] = await my!.query<mysql.RowDataPacket[]>(`SELECT completed_at FROM ${LEGACY}._ferry_demo_meta`);
  assert.equal(afterRun.completed_at, before.completed_at, 'the legacy database was reloaded');
  const c = await numbers(`SELECT COUNT(*) AS customers, (SELECT COUNT(*) FROM ${LEGACY}.orders) AS orders FROM ${LEGACY}.customers`);
  assert.deepEqual({ customers: r.customers, orders: r.orders }, c);
  assert.equal(r.orders, 3 * N);
});

test('the new CRM is strict, kept without reset and emptied with reset', async () => {
  const insert = (email: string) => withPg(TARGET, (c) => c.query(`INSERT INTO contacts (legacy_id, email, full_name, last_name, status, created_at)
    VALUES (1, $1, 'Ann Lee', 'Lee', 'active', now())`, [email]));
  await assert.rejects(insert('Ann@Example.com'), /check constraint/);
  await insert('ann@example.com');
  const count = () => withPg(TARGET, async (c) => (await c.query('SELECT COUNT(*)::int AS n FROM contacts')).rows[0].n);
  await loadDemoData(opts);
  assert.equal(await count(), 1, 'a run without reset must not touch the new CRM');
  await loadDemoData({ ...opts, reset: true });
  assert.equal(await count(), 0, 'reset must leave the new CRM empty');
});

test('refuses system databases and odd names before touching anything', async () => {
  await assert.rejects(loadDemoData({ customers: 1, legacyDatabase: 'mysql' }), /refusing/);
  await assert.rejects(loadDemoData({ customers: 1, targetDatabase: 'postgres' }), /refusing/);
  await assert.rejects(loadDemoData({ customers: 1, legacyDatabase: 'x`; DROP DATABASE y' }), /refusing/);
});
