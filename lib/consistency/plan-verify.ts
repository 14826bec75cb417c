import { randomUUID } from 'node:crypto';
import type { Connector } from '../connectors/connector';
import { prisma, type Prisma } from '../db/client';
import { loadJobContext } from '../engine/load-job-context';
import { keyOf, keyText } from '../engine/key-text';
import { planSplitPoints } from '../engine/plan-split-points';
import type { JobKindDefinition } from '../jobs/kinds/job-kind';
import { claimPlanning, failUnlessMappingFits } from '../jobs/planner-steps';
import { recordEvent } from '../jobs/record-event';
import { enqueueUnits } from '../jobs/units/enqueue-units';
import { spansBetween } from '../jobs/units/spans-between';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import { verifySettingsSchema } from '../schemas/consistency';
import type { MappingSpec } from '../schemas/mapping-spec';
import { chooseVerifyMode } from './choose-mode';
import { planInDatabaseHash } from './in-database';
import { jsonSafe } from './json-safe';

const json = (value: unknown) => (value ?? undefined) as Prisma.InputJsonValue | undefined;

/** Source NULL keys listed per run; beyond this they are only counted. */
const NULL_KEYS_LISTED = 1000;

/**
 * Source rows with a NULL key belong to no key range: they are counted and listed here,
 * as a range that is done from the start, so the report's sums include them.
 */
async function sourceNullKeys(source: Connector, spec: MappingSpec, reportId: string, jobId: string, seq: number) {
  const { count, rows } = await source.readNullKeys(spec.source.table, spec.source.key, sourceColumnsOf(spec), NULL_KEYS_LISTED);
  const inScope = compileSourceFilter(spec.source.filter);
  const listed = rows.filter((row) => inScope(row));
  // Rows past the listed ones cannot be filtered here: they count as in scope.
  const total = listed.length + Math.max(0, count - rows.length);
  if (total === 0) return null;
  const rangeId = randomUUID();
  return {
    range: { id: rangeId, reportId, jobId, seq, phase: 'compare' as const, status: 'done' as const, nullKeys: total, finishedAt: new Date() },
    diffs: listed.map((row) => {
      const key = keyOf(row, spec.source.key);
      return { reportId, rangeId, kind: 'null_key' as const, key: jsonSafe(key), keyText: keyText(key), sourceKey: jsonSafe(key), sourceRow: jsonSafe(row) };
    }),
  };
}

/**
 * Chooses how to compare (aligned or general mode, in-database hashes or not), splits the
 * source into key ranges (and, in general mode, the target into extras ranges that wait
 * for the compare ranges) and enqueues one verify-range job per range. Re-entrant: a
 * planner that crashed after creating ranges just re-enqueues them.
 */
export async function planVerify(definition: Pick<JobKindDefinition, 'units' | 'settle'>, jobId: string) {
  if (!(await claimPlanning(jobId))) return { skipped: 'job is not waiting to be planned' };
  const report = await prisma().consistencyReport.findFirst({ where: { jobId }, select: { id: true, settings: true, rangesTotal: true } });
  if (!report) return { skipped: 'report deleted' };

  if (report.rangesTotal === 0) {
    const ctx = await loadJobContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    await failUnlessMappingFits(jobId, ctx);
    const settings = verifySettingsSchema.parse(report.settings);
    const { mode, reason } = chooseVerifyMode(ctx.spec, ctx.source.kind, ctx.target.kind, ctx.sourceTable, ctx.targetTable);
    const eligibility =
      mode === 'aligned'
        ? planInDatabaseHash({ spec: ctx.spec, sourceKind: ctx.source.kind, targetKind: ctx.target.kind, source: ctx.sourceTable, target: ctx.targetTable, settings })
        : ({ ok: false, reason: 'keys are not aligned' } as const);
    const [{ points, rows: estimated, rowsExact }, targetPoints] = await Promise.all([
      // Source ranges over the rows the filter keeps, as a migration's chunks; the target has no filter.
      planSplitPoints(ctx.source, ctx.sourceTable, ctx.spec.source.key, settings.rangeRows, ctx.spec.source.filter),
      mode === 'general' ? planSplitPoints(ctx.target, ctx.targetTable, ctx.spec.target.key, settings.rangeRows).then((plan) => plan.points) : Promise.resolve([]),
    ]);
    const rangesOf = (splits: typeof points, phase: 'compare' | 'extras') =>
      spansBetween(splits).map(({ seq, lowerKey, upperKey }) => ({
        reportId: report.id,
        jobId,
        seq,
        phase,
        status: phase === 'compare' ? ('pending' as const) : ('waiting' as const),
        lowerKey: json(lowerKey),
        upperKey: json(upperKey),
      }));
    const ranges = [...rangesOf(points, 'compare'), ...(mode === 'general' ? rangesOf(targetPoints, 'extras') : [])];
    const nullKeys = await sourceNullKeys(ctx.source, ctx.spec, report.id, jobId, points.length + 1);
    await prisma().$transaction(async (tx) => {
      await tx.consistencyRange.createMany({ data: ranges });
      if (nullKeys) {
        await tx.consistencyRange.create({ data: nullKeys.range });
        await tx.consistencyDiff.createMany({ data: nullKeys.diffs });
      }
      await tx.consistencyReport.update({
        where: { id: report.id },
        data: { mode, plan: eligibility.ok ? json(eligibility.plan) : undefined, rangesTotal: ranges.length + (nullKeys ? 1 : 0) },
      });
      await tx.job.update({ where: { id: jobId }, data: { rowsEstimated: estimated, rowsEstimateExact: rowsExact, plannedAt: new Date() } });
    });
    await recordEvent(
      jobId,
      'planned',
      `Planned ${ranges.length} range(s) over about ${estimated.toLocaleString('en')} source rows; ${mode} mode (${reason}); ` +
        (eligibility.ok ? 'in-database hashes first' : `rows compared in the workers (${eligibility.reason})`),
      { ranges: ranges.length, estimated, mode, inDatabase: eligibility.ok },
    );
  }
  const pending = await prisma().consistencyRange.findMany({ where: { jobId, status: { in: ['pending', 'running'] } }, select: { id: true }, orderBy: [{ phase: 'asc' }, { seq: 'asc' }] });
  // Running before enqueueing: a range job that starts at once must find the job running.
  await prisma().job.updateMany({ where: { id: jobId, status: { in: ['planning', 'queued'] } }, data: { status: 'running' } });
  await enqueueUnits(definition, jobId, pending.map((r) => r.id));
  await definition.settle(jobId);
  return { ranges: pending.length };
}
