import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCsvIndex, type CsvIndex } from './build-csv-index';
import type { CsvShape } from './csv-shape';
import { readCsvPart, type CsvPartRow } from './read-csv-part';

let folder: string | null = null;
let written = 0;

/** A file in a folder of the test run's own, removed when the test process exits. */
export function writeTestCsv(bytes: Uint8Array | string): string {
  if (folder === null) {
    const made = mkdtempSync(join(tmpdir(), 'csv-test-'));
    folder = made;
    // Not node:test's after(): called inside a test it would run when that test ends.
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const path = join(folder, `file-${++written}.csv`);
  writeFileSync(path, bytes);
  return path;
}

export const testShape = (overrides: Partial<CsvShape> = {}): CsvShape => ({
  encoding: 'utf-8',
  bom: false,
  delimiter: ',',
  quote: '"',
  escape: '"',
  headerRow: 0,
  columns: [],
  ...overrides,
});

/** Columns of the given names, as the field-count checks only need how many there are. */
export const textColumns = (...names: string[]): CsvShape['columns'] => names.map((name) => ({ name, type: 'text', nullable: true, sampleValues: [] }));

/** Index a file and read every part back in order. */
export async function readWholeCsv(path: string, shape: CsvShape, rowsPerPart = 1000): Promise<{ index: CsvIndex; rows: CsvPartRow[] }> {
  const index = await buildCsvIndex(path, shape, { rowsPerPart });
  const rows: CsvPartRow[] = [];
  for (const part of index.parts) {
    for await (const batch of readCsvPart(path, shape, part)) rows.push(...batch);
  }
  return { index, rows };
}
