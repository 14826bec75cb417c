import { describeTable } from '../saved-connections/browse-schema';
import { prisma, type Prisma } from '../db/client';
import { notFound } from '../errors';
import { jobKindOf } from '../jobs/kinds/job-kinds';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import type { ConsistencyReportView, MappingConsistencyView, ScorePoint, VerifyMethod } from '../schemas/consistency';
import { countsOf } from './counts';
import { effectiveNormalization } from './normalize';
import { getVerifySettings } from './verify-settings';

const reportSelect = {
  id: true,
  jobId: true,
  mappingId: true,
  method: true,
  matched: true,
  different: true,
  missing: true,
  extra: true,
  nullKeys: true,
  duplicateKeys: true,
  score: true,
  rangesTotal: true,
  createdAt: true,
  finishedAt: true,
  mappingVersion: { select: { version: true } },
  job: { select: { status: true, parentJobId: true } },
  _count: { select: { differences: true } },
} as const;

/**
 * The newest report matching `where`, read in one snapshot: the report's counters and its
 * job's status are read by separate queries, and a verification settling in between would
 * otherwise show a finished job with the counters of before.
 */
async function loadView(where: Prisma.ConsistencyReportWhereInput): Promise<ConsistencyReportView | null> {
  return prisma().$transaction(
    async (tx) => {
      const report = await tx.consistencyReport.findFirst({ where, select: reportSelect, orderBy: { createdAt: 'desc' } });
      if (!report) return null;
      const rangesDone = await tx.consistencyRange.count({ where: { reportId: report.id, status: 'done' } });
      return toView(report, rangesDone);
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

type ReportRow = Prisma.ConsistencyReportGetPayload<{ select: typeof reportSelect }>;

function toView(report: ReportRow, rangesDone: number): ConsistencyReportView {
  return {
    id: report.id,
    jobId: report.jobId,
    triggeredByJobId: report.job.parentJobId,
    mappingId: report.mappingId,
    mappingVersion: report.mappingVersion.version,
    status: report.job.status,
    method: (report.method as VerifyMethod | null) ?? null,
    ...countsOf(report),
    score: report.score,
    rangesTotal: report.rangesTotal,
    rangesDone,
    differencesStored: report._count.differences,
    createdAt: report.createdAt.toISOString(),
    finishedAt: report.finishedAt?.toISOString() ?? null,
  };
}

export async function getReportView(reportId: string): Promise<ConsistencyReportView> {
  const report = await loadView({ id: reportId });
  if (!report) throw notFound('Consistency report');
  return report;
}

/**
 * For a kind with a report of its own (a verification) that report; for any other job
 * the newest report of a verification it triggered.
 */
export async function getJobConsistency(jobId: string): Promise<{ report: ConsistencyReportView | null }> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true } });
  if (!job) throw notFound('Job');
  const own = jobKindOf(job.kind).verification === 'own';
  return { report: await loadView(own ? { jobId } : { job: { parentJobId: jobId, kind: 'verify' } }) };
}

/** The latest run, the score over time, and the normalization of every target column. */
export async function getMappingConsistency(mappingId: string): Promise<MappingConsistencyView> {
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { targetConnectionId: true, targetTable: true, latestVersion: true } });
  if (!mapping) throw notFound('Mapping');
  const settings = await getVerifySettings(mappingId);
  const latest = await loadView({ mappingId });
  const finished = await prisma().consistencyReport.findMany({
    where: { mappingId, score: { not: null }, finishedAt: { not: null } },
    orderBy: { finishedAt: 'desc' },
    take: 100,
    select: { id: true, jobId: true, score: true, matched: true, different: true, missing: true, extra: true, finishedAt: true, mappingVersion: { select: { version: true } } },
  });
  const history: ScorePoint[] = finished.reverse().map((r) => ({
    reportId: r.id,
    jobId: r.jobId,
    mappingVersion: r.mappingVersion.version,
    score: r.score as number,
    matched: r.matched,
    different: r.different,
    missing: r.missing,
    extra: r.extra,
    finishedAt: (r.finishedAt as Date).toISOString(),
  }));
  const version = await prisma().mappingVersion.findUnique({ where: { mappingId_version: { mappingId, version: mapping.latestVersion } }, select: { spec: true } });
  const targetKey = version ? mappingSpecSchema.parse(version.spec).target.key : [];
  let columns: MappingConsistencyView['columns'] = [];
  try {
    const table = await describeTable(mapping.targetConnectionId, mapping.targetTable);
    columns = table.columns.map((c) => ({ name: c.name, family: c.family, normalization: effectiveNormalization(c, settings.columns[c.name]), isKey: targetKey.includes(c.name) }));
  } catch (error) {
    // The target may be unreachable right now: the scores are still worth showing.
    console.warn(`[consistency] could not describe ${mapping.targetTable}: ${(error as Error).message}`);
  }
  return { latest, history, settings, columns };
}
