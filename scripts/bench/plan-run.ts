import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { createPlan } from '@/lib/plans/save-plan';
import { startPlanRun } from '@/lib/plans/start-plan-run';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { customersToContactsSpec, ordersToDealsSpec, paymentsToPaymentsSpec, ticketsToCasesSpec, type ReferenceStyle } from '../demo-data/demo-mapping-specs';
import { log } from './bench-env';
import { procMemoryKb } from './peak-rss';

export interface BenchPlan {
  planId: string;
  mappings: { contacts: string; deals: string; payments: string; cases: string };
}

/** The demo's four mappings (automatic verification off: it would run beside the next steps) and their plan. */
export async function createBenchPlan(actor: Actor, legacyConnectionId: string, targetConnectionId: string, references: ReferenceStyle = 'id_map'): Promise<BenchPlan> {
  const save = async (name: string, spec: MappingSpecInput) => {
    const mapping = await createMapping(actor, { name, sourceConnectionId: legacyConnectionId, targetConnectionId, spec: mappingSpecSchema.parse(spec) });
    await prisma().mapping.update({ where: { id: mapping.id }, data: { verifySettings: { autoVerify: false } } });
    return mapping.id;
  };
  const contacts = await save('bench customers → contacts', customersToContactsSpec);
  const deals = await save('bench orders → deals', ordersToDealsSpec(contacts, references));
  const payments = await save('bench payments → payments', paymentsToPaymentsSpec(deals, references));
  const cases = await save('bench tickets → cases', ticketsToCasesSpec(contacts, references));
  const plan = await createPlan(actor, { name: 'bench legacy CRM', mappingIds: [contacts, deals, payments, cases] });
  return { planId: plan.id, mappings: { contacts, deals, payments, cases } };
}

export interface PlanRunResult {
  runId: string;
  status: string;
  stopReason: string | null;
  seconds: number;
  rows: number;
  written: number;
  steps: { mappingId: string; jobId: string; status: string; rows: number; written: number; failed: number; startedAt: Date; finishedAt: Date | null }[];
}

const FINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Starts the plan, waits for it to settle (progress on stderr), and measures it from its own timestamps. */
export async function timePlanRun(actor: Actor, planId: string, options: { chunkRows: number; batchRows: number; timeoutSeconds: number; stallSeconds: number }, pids: number[]): Promise<PlanRunResult> {
  const started = performance.now();
  const run = await startPlanRun(actor, planId, { options: { chunkRows: options.chunkRows, batchRows: options.batchRows } });
  let lastLog = started;
  let lastRead = -1;
  let lastProgress = started;
  for (;;) {
    const row = await prisma().planRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
    if (FINAL.includes(row.status)) break;
    const now = performance.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      const sums = await prisma().chunk.aggregate({ where: { job: { planRunId: run.id } }, _sum: { rowsRead: true } });
      const read = sums._sum.rowsRead ?? 0;
      const jobs = await prisma().job.findMany({ where: { planRunId: run.id }, select: { status: true, mapping: { select: { targetTable: true } } } });
      const rss = pids.map((pid) => ((procMemoryKb(pid, 'VmRSS') ?? 0) / 1024).toFixed(0)).join('/');
      log(`  … ${read} rows read after ${((now - started) / 1000).toFixed(0)} s (${jobs.map((j) => `${j.mapping.targetTable} ${j.status}`).join(', ')}); worker RSS ${rss} MB`);
      if (read !== lastRead) {
        lastRead = read;
        lastProgress = now;
      } else if (now - lastProgress > options.stallSeconds * 1000) {
        throw new Error(`plan run ${run.id} made no progress for ${options.stallSeconds} s`);
      }
    }
    if (now - started > options.timeoutSeconds * 1000) throw new Error(`plan run ${run.id} still ${row.status} after ${options.timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const done = await prisma().planRun.findUniqueOrThrow({
    where: { id: run.id },
    select: { status: true, stopReason: true, createdAt: true, finishedAt: true, jobs: { select: { id: true, mappingId: true, status: true, createdAt: true, finishedAt: true } } },
  });
  const steps = await Promise.all(done.jobs.map(async (job) => {
    const sums = await prisma().chunk.aggregate({ where: { jobId: job.id }, _sum: { rowsRead: true, rowsWritten: true, rowsFailed: true } });
    return { mappingId: job.mappingId, jobId: job.id, status: job.status, rows: sums._sum.rowsRead ?? 0, written: sums._sum.rowsWritten ?? 0, failed: sums._sum.rowsFailed ?? 0, startedAt: job.createdAt, finishedAt: job.finishedAt };
  }));
  // The run's own timestamps: from its creation to the settle of its last step.
  const seconds = done.finishedAt ? (done.finishedAt.getTime() - done.createdAt.getTime()) / 1000 : (performance.now() - started) / 1000;
  return {
    runId: run.id,
    status: done.status,
    stopReason: done.stopReason,
    seconds,
    rows: steps.reduce((s, j) => s + j.rows, 0),
    written: steps.reduce((s, j) => s + j.written, 0),
    steps,
  };
}

/** Per step: wall time, rate, and the chunks' step timings summed (transform includes resolving references; write includes recording ids). */
export async function logPlanSteps(result: PlanRunResult, names: Record<string, string>): Promise<void> {
  for (const step of [...result.steps].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
    const seconds = ((step.finishedAt?.getTime() ?? Date.now()) - step.startedAt.getTime()) / 1000;
    const events = await prisma().jobEvent.findMany({ where: { jobId: step.jobId, type: 'chunk_done' }, select: { data: true } });
    const sums = new Map<string, number>();
    for (const event of events) {
      for (const [key, value] of Object.entries((event.data as { stepMs?: Record<string, number> } | null)?.stepMs ?? {})) sums.set(key, (sums.get(key) ?? 0) + value);
    }
    const offset = ((step.startedAt.getTime() - result.steps.reduce((m, s) => Math.min(m, s.startedAt.getTime()), Infinity)) / 1000).toFixed(1);
    log(`  ${names[step.mappingId] ?? step.mappingId}: +${offset} s, ${seconds.toFixed(1)} s, ${step.rows} rows (${Math.round(step.rows / seconds)}/s), ` +
      `${step.written} written, ${step.failed} failed; chunk steps summed: ${[...sums].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  }
}
