/**
 * Keeps changing the demo's legacy CRM, so a running sync has something to carry:
 *   npm run demo:changes [-- --rate 10 --seconds 120 --legacy-db legacy_crm]
 * About --rate changes per second to legacy customers (MariaDB; FERRY_DEMO_MYSQL_URL or
 * DEMO_MARIADB_HOST, as the demo loader): 60 % updates of a random customer (status,
 * company, first name or country), 30 % new customers, 10 % deletions — only of customers it
 * added itself (e-mail at changes.example.com), so the generated demo data stays whole. It
 * prints what it did every few seconds and stops cleanly on Ctrl-C (or after --seconds).
 */
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { mysqlConfig } from './demo-data/load-demo-data';

/** Customers this writer added carry this e-mail domain: the only ones it deletes. */
export const ADDED_DOMAIN = 'changes.example.com';

export interface DemoChangeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface DemoChangesOptions {
  legacyDatabase: string;
  /** Changes per second. */
  rate: number;
  /** Stop after this long; without it, until the signal aborts. */
  seconds?: number;
  reportEverySeconds: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Edsger', 'Frances'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Dijkstra', 'Allen'];
const COMPANIES = ['Acme Inc.', 'Globex Ltd', 'Initech GmbH', 'Umbrella Group', 'Hooli Holdings', 'Stark Logistics', null];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'CA'];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** One update of a random customer: a field the demo mapping carries, to a value it accepts. */
function randomUpdate(): { column: string; value: string | null } {
  switch (Math.floor(Math.random() * 4)) {
    case 0:
      return { column: 'status', value: pick(['A', 'I', 'P']) };
    case 1:
      return { column: 'company', value: pick(COMPANIES) };
    case 2:
      return { column: 'first_nm', value: pick(FIRST) };
    default:
      return { column: 'country', value: pick(COUNTRIES) };
  }
}

export async function runDemoChanges(options: DemoChangesOptions): Promise<DemoChangeCounts> {
  const db = await mysql.createConnection({ ...mysqlConfig(), database: options.legacyDatabase });
  const total: DemoChangeCounts = { inserted: 0, updated: 0, deleted: 0 };
  let since: DemoChangeCounts = { ...total };
  let last = '';
  try {
    const [[bounds]] = await db.query<mysql.RowDataPacket[]>('SELECT MIN(cust_id) AS lo, MAX(cust_id) AS hi FROM customers');
    if (bounds.lo === null) throw new Error(`${options.legacyDatabase}.customers is empty: load the demo data first (npm run demo:load)`);
    const lo = Number(bounds.lo);
    let hi = Number(bounds.hi);
    const [own] = await db.query<mysql.RowDataPacket[]>('SELECT cust_id FROM customers WHERE email_addr LIKE ?', [`%@${ADDED_DOMAIN}`]);
    const added = own.map((r) => Number(r.cust_id));
    options.log(`Changing ${options.legacyDatabase}.customers (${hi - lo + 1} ids) at ${options.rate}/s; Ctrl-C stops.`);

    const started = performance.now();
    const end = options.seconds ? started + options.seconds * 1000 : Infinity;
    let lastReport = started;
    for (let n = 0; !options.signal.aborted; n++) {
      const due = started + (n * 1000) / options.rate;
      if (due >= end) break;
      await sleep(due - performance.now(), options.signal);
      if (options.signal.aborted) break;
      const r = Math.random();
      if (r < 0.6) {
        const { column, value } = randomUpdate();
        // Ids have gaps (deleted customers) and a row may hold the value already: a few tries find one to change.
        for (let attempt = 0; attempt < 5; attempt++) {
          const id = lo + Math.floor(Math.random() * (hi - lo + 1));
          const [result] = await db.execute<mysql.ResultSetHeader>(`UPDATE customers SET ${column} = ? WHERE cust_id = ? AND NOT (${column} <=> ?)`, [value, id, value]);
          if (result.affectedRows === 1) {
            total.updated += 1;
            last = `customer ${id}: ${column} = ${value === null ? 'NULL' : `'${value}'`}`;
            break;
          }
        }
      } else if (r < 0.9 || added.length === 0) {
        const first = pick(FIRST);
        const lastName = pick(LAST);
        const email = `${first}.${lastName}.${Date.now().toString(36)}${n}@${ADDED_DOMAIN}`.toLowerCase();
        const [result] = await db.execute<mysql.ResultSetHeader>(
          'INSERT INTO customers (first_nm, last_nm, email_addr, status, created_dt, company, country) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [first, lastName, email, pick(['A', 'P']), new Date().toISOString().slice(0, 10), pick(COMPANIES), pick(COUNTRIES)],
        );
        added.push(result.insertId);
        hi = Math.max(hi, result.insertId);
        total.inserted += 1;
        last = `new customer ${result.insertId} (${first} ${lastName})`;
      } else {
        const at = Math.floor(Math.random() * added.length);
        const id = added[at];
        added[at] = added[added.length - 1];
        added.pop();
        await db.execute('DELETE FROM customers WHERE cust_id = ?', [id]);
        total.deleted += 1;
        last = `deleted customer ${id}`;
      }
      const now = performance.now();
      if (now - lastReport >= options.reportEverySeconds * 1000) {
        lastReport = now;
        const time = new Date().toISOString().slice(11, 19);
        options.log(`${time}  ${total.updated - since.updated} updated, ${total.inserted - since.inserted} inserted, ${total.deleted - since.deleted} deleted; last: ${last}`);
        since = { ...total };
      }
    }
  } finally {
    await db.end().catch(() => undefined);
  }
  return total;
}

function parseOptions(): Omit<DemoChangesOptions, 'signal' | 'log'> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string' },
      'legacy-db': { type: 'string', default: 'legacy_crm' },
      'report-every': { type: 'string', default: '5' },
    },
  });
  const rate = Number(values.rate);
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  const reportEverySeconds = Number(values['report-every']);
  if (!(rate > 0 && rate <= 1000)) throw new Error(`--rate must be a number of changes per second above 0, at most 1000 (got "${values.rate}")`);
  if (seconds !== undefined && !(seconds > 0)) throw new Error(`--seconds must be a positive number (got "${values.seconds}")`);
  if (!(reportEverySeconds > 0)) throw new Error(`--report-every must be a positive number of seconds (got "${values['report-every']}")`);
  return { legacyDatabase: values['legacy-db'], rate, seconds, reportEverySeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  try {
    const total = await runDemoChanges({ ...parseOptions(), signal: stop.signal, log: (line) => console.log(line) });
    console.log(`Stopped: ${total.updated} updated, ${total.inserted} inserted, ${total.deleted} deleted in all.`);
  } catch (error) {
    const message = (error as Error).message;
    const hint = /Unknown database/.test(message) ? ' (load the demo data with npm run demo:load, or name the database with --legacy-db)' : '';
    console.error(`demo:changes: ${message}${hint}`);
    process.exitCode = 1;
  }
}
