import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import type { MappingSpec } from '../schemas/mapping-spec';
import { createThreadPool, THREAD_RESOURCE_LIMITS, ThreadFailedError, ThreadPoolBusyError, ThreadTimeoutError } from './thread-pool';
import { newProgress, readProgress, type SampleOutcome, type SampleTask } from './transform-sample';

/** Longest a preview may spend mapping its sample rows. */
export const PREVIEW_BUDGET_MS = 10_000;
/**
 * Previews mapping at the same time (more wait, one budget at most, then are refused): two,
 * but always one core fewer than the machine has, so that the request thread keeps one.
 */
export const PREVIEW_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));
const PREVIEW_MAX_WAITING = 4;

const THREAD_OPTIONS = { resourceLimits: THREAD_RESOURCE_LIMITS, name: 'ferry-preview' };
/** Bundles rewrite import.meta.url to the source's own URL, so the loader is what tells the two apart. */
const UNDER_TSX = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /\btsx\b/.test(arg));
const TSX_BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(require('node:worker_threads').workerData.script); });`;

const pool = createThreadPool<SampleTask, SampleOutcome[]>({
  createWorker: () =>
    UNDER_TSX
      ? // Unbundled (tsx: tests, scripts), the thread loads the TypeScript script through tsx's loader.
        new Worker(TSX_BOOTSTRAP, { eval: true, workerData: { script: import.meta.url.replace(/[^/]+$/, 'preview-thread.ts') }, ...THREAD_OPTIONS })
      : // This literal form is what lets `next build` bundle the script as a worker entry.
        new Worker(new URL('./preview-thread.ts', import.meta.url), THREAD_OPTIONS),
  size: PREVIEW_THREADS,
  budgetMs: PREVIEW_BUDGET_MS,
  maxWaiting: PREVIEW_MAX_WAITING,
});

/**
 * Maps a preview's sample rows in a preview thread, so that the request thread keeps
 * answering (health checks, other users) whatever the mapping costs. Past its budget the
 * thread is stopped and the answer is a 422 `too_costly` naming the row, field and step it
 * was in; `specPath` prefixes that step's path ('body.spec' for a spec in the request).
 */
export async function transformSampleInThread(task: Omit<SampleTask, 'progress'>, specPath: string | null): Promise<SampleOutcome[]> {
  const progress = newProgress();
  try {
    const outcomes = await pool.run({ ...task, progress });
    return outcomes.map(reviveOutcome);
  } catch (error) {
    if (error instanceof ThreadPoolBusyError) {
      throw new AppError('rate_limited', 'Too many previews are running at the moment; try again in a few seconds.');
    }
    if (error instanceof ThreadTimeoutError || (error instanceof ThreadFailedError && error.outOfMemory)) {
      const what = error instanceof ThreadTimeoutError ? `took longer than ${PREVIEW_BUDGET_MS / 1000} s` : `needed more than ${THREAD_RESOURCE_LIMITS.maxOldGenerationSizeMb} MB of memory`;
      const where = describeProgress(task.spec, readProgress(progress));
      throw new AppError(
        'too_costly',
        `The preview ${what} and was stopped${where ? `, ${where.text}` : ''}. Simplify that step or preview fewer rows.`,
        where?.path && specPath ? [{ path: `${specPath}.${where.path}`, message: `was running when the preview was stopped (${what})` }] : [],
      );
    }
    throw error;
  }
}

/** "while mapping sample row 3, field 2 (notes), step 1 (regex_replace)", and that step's spec path. */
export function describeProgress(spec: MappingSpec, at: { row: number; field: number; step: number }): { text: string; path: string | null } | null {
  if (at.row < 0) return null;
  const row = `sample row ${at.row + 1}`;
  const field = spec.fields[at.field];
  if (field === undefined) return { text: `while filtering or checking ${row}`, path: null };
  const transform = field.transforms[at.step];
  if (transform === undefined) return { text: `while mapping ${row}, field ${at.field + 1} (${field.target})`, path: `fields.${at.field}` };
  return {
    text: `while mapping ${row}, field ${at.field + 1} (${field.target}), step ${at.step + 1} (${transform.op})`,
    path: `fields.${at.field}.transforms.${at.step}`,
  };
}

/** Binary values come back from the thread as plain Uint8Arrays; the database drivers want Buffers. */
function reviveOutcome(outcome: SampleOutcome): SampleOutcome {
  if (outcome.kind !== 'mapped') return outcome;
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outcome.values)) values[name] = reviveValue(value);
  return { ...outcome, values };
}

function reviveValue(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(reviveValue);
  return value;
}
