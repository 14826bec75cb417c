/**
 * Demo data for Ferry: a messy legacy CRM in MariaDB and an empty, strict new CRM in Postgres.
 *   npx tsx scripts/demo-data/load-demo-data.ts --customers 5000 [--legacy-db x] [--target-db y] [--reset]
 * Servers: FERRY_DEMO_MYSQL_URL (default mysql://root@127.0.0.1:3306) and FERRY_DEMO_PG_URL
 * (default postgresql://postgres@127.0.0.1:5432/postgres, the database used to CREATE DATABASE).
 *
 * Rows are generated inside MariaDB (INSERT ... SELECT over the Sequence engine's seq_1_to_N):
 * no bytes cross the wire, which is what makes 1M customers take minutes. Every "random" choice
 * is CRC32(salt || row number) % m, so the same N always yields the same data (apart from
 * customers.last_modified, which is the load time). Per N customers: exactly N customers,
 * 3N orders, N tickets, ~0.96 payments per order.
 *
 * A legacy customer row is INVALID for the new CRM when any of these holds (trim = strip
 * leading/trailing spaces, the same in MariaDB TRIM() and Postgres trim()):
 *   1. email: NULL, or LOWER(TRIM(email_addr)) does not match
 *      '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$'  (empty, no @, @@, spaces, trailing dot)
 *   2. last name: last_nm IS NULL OR TRIM(last_nm) = ''
 *   3. status: UPPER(TRIM(status)) NOT IN ('A','I','P'), NULL included ('a' is fine, 'X' is not)
 *   4. created_dt: NULL, or TRIM(created_dt) matches none of '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
 *      (YYYY-MM-DD), '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' (DD/MM/YYYY),
 *      '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}$' (MM-DD-YYYY HH:MM). Every matching
 *      value is a real calendar date (read it as UTC); the junk is 'n/a', '', 'unknown', 'TBD', NULL.
 *   5. duplicate: among the rows passing 1-4, all but the lowest cust_id per LOWER(TRIM(email_addr))
 *      (what inserting in cust_id order into the UNIQUE email column yields).
 * Phone, company, country and notes never make a row invalid. In MariaDB compare with
 * CHAR_LENGTH or CAST(... AS BINARY): the PAD SPACE collation ignores trailing spaces in '='.
 * Other mess: orders ~0.4% orphan cust_id (> N) + ~0.1% NULL, status 'cancelled ' (note the
 * space), currency 'usd'; payments negative refunds, method 'CARD'/NULL; tickets ~0.2% orphans,
 * NULL/'' subjects, priority 0/9, state 'OPEN', text dates like created_dt.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface LoadDemoDataOptions {
  customers: number;
  legacyDatabase?: string;
  targetDatabase?: string;
  reset?: boolean;
  log?: (line: string) => void;
}
export interface LoadDemoDataResult { customers: number; orders: number; payments: number; tickets: number; seconds: number }

/** Bump when the generated data changes, so existing demo databases are reloaded. */
const GENERATOR_VERSION = 1;
const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Databases we must never drop or fill, whatever the caller passes. */
const RESERVED = new Set(['mysql', 'information_schema', 'performance_schema', 'sys', 'postgres', 'template0', 'template1']);

export function mysqlConfig(): mysql.ConnectionOptions {
  const u = new URL(process.env.FERRY_DEMO_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password), dateStrings: true, connectTimeout: 5000 };
}
export function pgUrl(database?: string): string {
  const u = new URL(process.env.FERRY_DEMO_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

/** Turn "connect ECONNREFUSED" (or an empty AggregateError) into a message naming the server. */
async function reach<T>(what: string, where: string, connect: () => Promise<T>): Promise<T> {
  try { return await connect(); } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new Error(`Cannot connect to ${what} at ${where}: ${err.code ?? ''} ${err.message ?? ''}`.trim());
  }
}

// ---- SQL expression helpers (all deterministic on the row key) ----
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rnd = (salt: string, mod: number, key = 'seq') => `(CRC32(CONCAT('${salt}', ${key})) % ${mod})`;
const elt = (index1: string, xs: readonly string[]) => `ELT(${index1}, ${xs.map(lit).join(',')})`;
const pick = (salt: string, xs: readonly string[], key = 'seq') => elt(`1 + ${rnd(salt, xs.length, key)}`, xs);
const asciiHandle = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '');

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Susan', 'Richard', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Nancy', 'Anthony',
  'Lisa', 'Mark', 'Emma', 'Oliver', 'Sophie', 'Lukas', 'Anna', 'Jan', 'Mia', 'José', 'Zoë', 'François', 'Chloé', 'Björn'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Lee', 'Walker', 'Hall', 'Young', 'King',
  'Wright', 'Scott', 'Green', 'Baker', 'Nguyen', 'Kowalski', 'Schmidt', "O'Brien", 'Müller', 'Dupont', 'Jansen', 'Rossi'];
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
  const pd = `CRC32(CONCAT('pd', seq))`, area = `(201 + ${pd} % 799)`, exch = `(200 + ${pd} DIV 1000 % 800)`;
  const line = `LPAD(${pd} DIV 1000000 % 10000, 4, '0')`, uk = `(7000 + ${pd} % 3000)`;
  const padName = `${rnd('pn', 100)} < 5`;
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
    IF(${rnd('cy', 100)} < 10, NULL, ${pick('cc', ['US', 'US', 'US', 'GB', 'GB', 'DE', 'FR', 'CA', 'NL', 'us'])}),
    IF(${rnd('nt', 100)} < 70, NULL, ${pick('nx', NOTES)})
  FROM (SELECT seq, fn, ln, CASE WHEN ${e} < 8 THEN NULL WHEN ${e} < 10 THEN ''
      WHEN ${e} < 30 THEN ELT(1 + ${e} % 4, REPLACE(LOWER(mail), '@', ''), REPLACE(LOWER(mail), '@', '@@'),
        LOWER(INSERT(mail, LOCATE('.', mail), 1, ' ')), CONCAT(LOWER(mail), '.'))
      WHEN ${c} < 15 THEN mail WHEN ${c} < 20 THEN UPPER(mail) ELSE LOWER(mail) END AS em
    FROM (SELECT seq, ${elt(fi, FIRST)} AS fn, ${elt(li, LAST)} AS ln,
        CONCAT(${elt(fi, FIRST.map(asciiHandle))}, '.', ${elt(li, LAST.map(asciiHandle))}, id, '@', ${pick('dm', DOMAINS, 'id')}) AS mail
      FROM (SELECT seq, ${id} AS id FROM ${seq}) a) b) c`;
}
