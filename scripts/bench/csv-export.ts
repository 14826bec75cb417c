import { createWriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import mysqlCore from 'mysql2';
import { MARIADB, log } from './bench-env';

/** The legacy customers table's columns, in its order: the export's header. */
export const CUSTOMER_COLUMNS = ['cust_id', 'first_nm', 'last_nm', 'email_addr', 'phone', 'status', 'created_dt', 'company', 'country', 'notes', 'last_modified'] as const;

export interface CsvExport {
  path: string;
  rows: number;
  bytes: number;
}

/**
 * The legacy customers as a CRM would export them: RFC 4180 CSV with a header, comma
 * delimited, fields quoted only when needed (the multi-line notes, names with a comma or
 * quote), NULL as an empty field, in cust_id order; streamed from MariaDB to the file, so
 * no more than a few thousand rows are in memory whatever the scale.
 */
export async function exportCustomersCsv(database: string, file: string): Promise<CsvExport> {
  await mkdir(path.dirname(file), { recursive: true });
  const started = performance.now();
  const maria = mysqlCore.createConnection({ ...MARIADB, database, dateStrings: true, charset: 'utf8mb4' });
  try {
    const rows = maria.query({ sql: `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM customers ORDER BY cust_id`, rowsAsArray: true }).stream({ highWaterMark: 2000 });
    const csv = stringify({ header: true, columns: [...CUSTOMER_COLUMNS], record_delimiter: '\n' });
    let count = 0;
    csv.on('record', () => (count += 1));
    await pipeline(rows, csv, createWriteStream(file));
    const { size } = await stat(file);
    log(`CSV export: ${count} customers, ${(size / 1024 ** 2).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s → ${file}`);
    return { path: file, rows: count, bytes: size };
  } finally {
    maria.destroy();
  }
}

/**
 * A file of at least `minBytes` for the upload: the export's header once, then its records
 * repeated whole as often as needed (the export ends with a line break, so every copy
 * starts a record). Written in large blocks: the bench's own memory stays small too.
 */
export async function padCsv(source: string, file: string, minBytes: number): Promise<number> {
  const started = performance.now();
  const input = await open(source, 'r');
  const output = await open(file, 'w');
  try {
    const { size } = await input.stat();
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await input.read(head, 0, head.length, 0);
    const headerEnd = head.indexOf(0x0a) + 1;
    if (headerEnd <= 0) throw new Error(`${source} has no header line`);
    const block = Buffer.alloc(8 * 1024 * 1024);
    let written = 0;
    const write = async (bytes: Buffer) => {
      let at = 0;
      while (at < bytes.length) at += (await output.write(bytes, at, bytes.length - at, written + at)).bytesWritten;
      written += bytes.length;
    };
    await write(head.subarray(0, headerEnd));
    while (written < minBytes) {
      for (let at = headerEnd; at < size; ) {
        const { bytesRead } = await input.read(block, 0, Math.min(block.length, size - at), at);
        if (bytesRead === 0) throw new Error(`${source} ended early at byte ${at}`);
        await write(block.subarray(0, bytesRead));
        at += bytesRead;
      }
    }
    log(`upload file: ${(written / 1024 ** 3).toFixed(3)} GiB (${written} bytes) from ${path.basename(source)} repeated, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return written;
  } finally {
    await input.close();
    await output.close();
  }
}
