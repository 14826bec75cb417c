/**
 * CSV benchmark: npm run bench:csv -- --rows 1000000
 *
 * Exports the demo customers at that scale (MariaDB legacy_crm_bench, loaded if missing, as
 * bench:migrate does) to a CSV file as a CRM would (csv-export.ts), then in one run:
 *  1. the raw baseline: psql's `\copy` of that file into a table of the customers' shape
 *     (csv-baseline.ts);
 *  2. the migration of the file into contacts through bench:migrate's 9-field mapping in
 *     upsert mode, the file's table read by its line number (`_line`), on 2 worker
 *     processes — twice on the same workers, the target emptied in between: "seconds" and
 *     "ratio" are the second job, "first_job_seconds" the first (fresh processes), both
 *     after "index_seconds": the workers' early indexing of the confirmed file, which the
 *     jobs then read (csv-migration.ts);
 *  3. the upload: the file repeated to 1 GiB, sent to Ferry's production web server
 *     (`npm start`'s build; `next build` runs first when there is none) through the chunked
 *     upload API in 16 MiB requests, while the web server's resident memory (its process
 *     tree, VmRSS) is sampled every 100 ms (csv-upload.ts).
 * Prints one JSON line on stdout: {"rows", "seconds", "rows_per_s", "baseline_rows_per_s",
 * "ratio", "peak_worker_rss_mb", "peak_web_rss_mb_during_upload", …, "target_copy_seconds",
 * "ratio_ceiling"}: the last two are psql's `\copy` of the landed rows into a table LIKE
 * contacts, and the ratio a loader with no cost of its own would reach; everything else goes
 * to stderr, the upload's MB/s included. Targets: ratio ≥ 0.5, worker RSS ≤ 300 MB, web
 * server RSS during the upload ≤ 300 MB; a missed one is a "TARGET MISSED: …" line on stderr.
 *
 * Own metadata database, queue prefix, new CRM and folder (ferry_bench_csv, Redis
 * ferry_bench_csv:*, new_crm_csv_bench, /tmp/ferry-bench-csv: deleted at the end).
 * Options: --workers 2 --concurrency 2 --chunk-rows 50000 --batch-rows 5000 --timeout 7200
 * --stall 300 --baseline-runs 1 --worker-node-options "…" --upload-mib 1024
 * --upload-chunk-mib 16 --skip-upload --upload-only --rebuild (next build even when a build
 * exists) --web-node-options "…" (added to the web server's NODE_OPTIONS; none by default,
 * as `npm start`) --keep-files (keep the export and the storage folder) --profile (per-step
 * timing of one chunk of lines in this process, after the run) --key cust_id (read the file
 * by the column it is sorted by instead of `_line`: a diagnostic; the figure is `_line`'s)
 */
import { CSV_BENCH } from './csv-env';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDemoData } from '../demo-data/load-demo-data';
import { log, positiveInt } from './bench-env';
import { resetBenchMetadata } from './bench-metadata';
import { exportCustomersCsv, padCsv } from './csv-export';
import { measureCsvMigration, type CsvMigrationResult } from './csv-migration';
import { measureUpload, type UploadResult } from './csv-upload';
import { ensureWebBuild, startWebServer } from './csv-web-server';
import { runBench } from './run-bench';
import { buildWorkerBundle } from './run-migration';

const TARGETS = { ratio: 0.5, peakWorkerRssMb: 300, peakWebRssMb: 300 };
const MiB = 1024 * 1024;
const ADMIN = { email: 'bench-admin@ferry.test', password: 'bench-admin-password' }; // bench-metadata.ts's admin

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'chunk-rows': { type: 'string', default: '50000' },
    'batch-rows': { type: 'string', default: '5000' },
    timeout: { type: 'string', default: '7200' },
    stall: { type: 'string', default: '300' },
    'baseline-runs': { type: 'string', default: '1' },
    // As `npm run worker` and bench:migrate run them.
    'worker-node-options': { type: 'string', default: '--max-old-space-size=192 --max-semi-space-size=16' },
    key: { type: 'string', default: '_line' },
    profile: { type: 'boolean', default: false },
    'upload-mib': { type: 'string', default: '1024' },
    'upload-chunk-mib': { type: 'string', default: '16' },
    'skip-upload': { type: 'boolean', default: false },
    'upload-only': { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
    'web-node-options': { type: 'string', default: '' },
    'keep-files': { type: 'boolean', default: false },
  },
});

interface UploadSettings {
  bytes: number;
  chunkBytes: number;
  rebuild: boolean;
  nodeOptions: string;
}

/** The upload on a web server started for it and stopped after; the padded file is deleted either way. */
async function uploadMeasurement(exportFile: string, settings: UploadSettings): Promise<UploadResult> {
  const file = path.join(CSV_BENCH.folder, 'upload.csv');
  try {
    await padCsv(exportFile, file, settings.bytes);
    await ensureWebBuild(settings.rebuild);
    const server = await startWebServer(settings.nodeOptions);
    log(`web server pid ${server.pid} at ${server.origin}${settings.nodeOptions ? `, NODE_OPTIONS ${settings.nodeOptions}` : ''}`);
    try {
      return await measureUpload(server, file, ADMIN, settings.chunkBytes);
    } catch (error) {
      log(`web server output:\n${server.output().slice(-4000)}`);
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await rm(file, { force: true });
  }
}

function resultLine(migration: CsvMigrationResult | null, upload: UploadResult | null, key: string): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  if (migration) {
    const { baseline, runs } = migration;
    const { firstJob, steady } = runs;
    Object.assign(line, {
      rows: steady.rows,
      seconds: Number(steady.seconds.toFixed(2)),
      rows_per_s: Math.round(steady.rows / steady.seconds),
      baseline_rows_per_s: Math.round(baseline.rowsPerSecond),
      ratio: Number((steady.rows / steady.seconds / baseline.rowsPerSecond).toFixed(3)),
      peak_worker_rss_mb: Number(runs.peakWorkerRssMb.toFixed(1)),
    });
  }
  line.peak_web_rss_mb_during_upload = upload ? Number(upload.peakWebRssMb.toFixed(1)) : null;
  if (upload) line.upload_mb_per_s = Number(upload.mbPerSecond.toFixed(1));
  if (migration) {
    const { baseline, runs } = migration;
    Object.assign(line, {
      error_rows: runs.steady.errorRows,
      first_job_seconds: Number(runs.firstJob.seconds.toFixed(2)),
      first_job_ratio: Number((runs.firstJob.rows / runs.firstJob.seconds / baseline.rowsPerSecond).toFixed(3)),
      index_seconds: Number(migration.indexSeconds.toFixed(1)),
    });
    const baselineSeconds = baseline.rows / baseline.rowsPerSecond;
    Object.assign(line, { target_copy_seconds: Number(migration.floor.seconds.toFixed(2)), ratio_ceiling: Number((baselineSeconds / migration.floor.seconds).toFixed(3)) });
    if (key !== '_line') line.key = key;
  }
  return line;
}

async function main(): Promise<void> {
  const rows = positiveInt('rows', values.rows);
  const key = values.key;
  if (key !== '_line' && key !== 'cust_id') throw new Error(`--key must be _line or cust_id, got "${key}"`);
  const uploadOnly = values['upload-only'];
  const upload: UploadSettings | null = values['skip-upload']
    ? null
    : {
        bytes: positiveInt('upload-mib', values['upload-mib']) * MiB,
        chunkBytes: positiveInt('upload-chunk-mib', values['upload-chunk-mib']) * MiB,
        rebuild: values.rebuild,
        nodeOptions: values['web-node-options'],
      };
  if (uploadOnly && !upload) throw new Error('--upload-only and --skip-upload leave nothing to measure');

  try {
    log(`legacy data: ${rows} customers in MariaDB ${CSV_BENCH.legacyMaria}, new CRM ${CSV_BENCH.target}`);
    const loaded = await loadDemoData({ customers: rows, legacyDatabase: CSV_BENCH.legacyMaria, targetDatabase: CSV_BENCH.target, log: (l) => log(`  ${l}`) });
    log(`legacy data ready in ${loaded.seconds} s`);
    await rm(CSV_BENCH.folder, { recursive: true, force: true });
    const exported = await exportCustomersCsv(CSV_BENCH.legacyMaria, path.join(CSV_BENCH.folder, `customers-${rows}.csv`));
    if (exported.rows !== rows) log(`WARNING: the export holds ${exported.rows} customers, not ${rows}`);

    const { actor, connection } = await resetBenchMetadata(CSV_BENCH.metadataDatabase, CSV_BENCH.metadataUrl, CSV_BENCH.queuePrefix);
    log(`metadata database ${CSV_BENCH.metadataDatabase} migrated; queue prefix ${CSV_BENCH.queuePrefix}; file storage ${CSV_BENCH.storage}`);

    let migration: CsvMigrationResult | null = null;
    if (!uploadOnly) {
      const target = await connection('bench new CRM for CSV (PostgreSQL)', 'postgres', CSV_BENCH.target);
      migration = await measureCsvMigration(actor, target.id, exported.path, {
        key,
        baselineRuns: positiveInt('baseline-runs', values['baseline-runs']),
        profile: values.profile,
        workers: positiveInt('workers', values.workers),
        concurrency: positiveInt('concurrency', values.concurrency),
        chunkRows: positiveInt('chunk-rows', values['chunk-rows']),
        batchRows: positiveInt('batch-rows', values['batch-rows']),
        timeoutSeconds: positiveInt('timeout', values.timeout),
        stallSeconds: positiveInt('stall', values.stall),
        workerNodeOptions: values['worker-node-options'] || undefined,
        workerBundle: await buildWorkerBundle(),
      });
    }

    let uploaded: UploadResult | null = null;
    if (upload) {
      try {
        uploaded = await uploadMeasurement(exported.path, upload);
      } catch (error) {
        // The migration's figures still count; the missing upload figure is said and fails the run.
        log(`upload measurement failed: ${(error as Error).stack ?? String(error)}`);
        process.exitCode = 1;
      }
    }

    process.stdout.write(`${JSON.stringify(resultLine(migration, uploaded, key))}\n`);
    if (uploaded) log(`upload: ${(uploaded.bytes / 1024 ** 3).toFixed(2)} GiB at ${uploaded.mbPerSecond.toFixed(1)} MB/s; web server RSS ${uploaded.idleWebRssMb.toFixed(0)} MB before, peak ${uploaded.peakWebRssMb.toFixed(0)} MB during`);
    if (migration) {
      const { baseline, runs } = migration;
      const ratio = runs.steady.rows / runs.steady.seconds / baseline.rowsPerSecond;
      if (ratio < TARGETS.ratio) log(`TARGET MISSED: ratio ${ratio.toFixed(3)} < ${TARGETS.ratio}`);
      if (runs.peakWorkerRssMb > TARGETS.peakWorkerRssMb) log(`TARGET MISSED: peak worker RSS ${runs.peakWorkerRssMb.toFixed(1)} MB > ${TARGETS.peakWorkerRssMb} MB`);
    }
    if (uploaded && uploaded.peakWebRssMb > TARGETS.peakWebRssMb) {
      log(`TARGET MISSED: peak web server RSS during the upload ${uploaded.peakWebRssMb.toFixed(1)} MB > ${TARGETS.peakWebRssMb} MB (${uploaded.idleWebRssMb.toFixed(0)} MB before the first chunk)`);
    }
  } finally {
    if (!values['keep-files']) await rm(CSV_BENCH.folder, { recursive: true, force: true });
  }
}

await runBench(main);
