import type { ColumnInfo } from '../connectors/connector';
import { prisma } from '../db/client';
import { loadJobContext, type JobContext } from '../engine/load-job-context';
import { targetColumnsOf } from '../mapping/apply-mapping';
import { verifySettingsSchema, type VerifySettings } from '../schemas/consistency';
import type { InDatabasePlan } from './in-database';
import { compileComparers, compileKeyComparers, type ColumnComparer } from './normalize';

export type VerifyMode = 'aligned' | 'general';

export interface VerifyContext extends JobContext {
  reportId: string;
  mappingId: string;
  mode: VerifyMode;
  settings: VerifySettings;
  plan: InDatabasePlan | null;
  /** Compared target columns (mapped, not excluded). */
  comparers: ColumnComparer[];
  /** Target key columns, normalized the same way on both sides. */
  keyComparers: ColumnComparer[];
  /** Target columns to read: the key and the compared columns. */
  targetReadColumns: string[];
}

/** Everything a verify range needs: the job's connectors and mapping version, and the report's settings. */
export async function loadVerifyContext(jobId: string): Promise<VerifyContext | null> {
  const [ctx, report] = await Promise.all([
    loadJobContext(jobId),
    prisma().consistencyReport.findFirst({
      where: { jobId },
      select: { id: true, mappingId: true, mode: true, settings: true, plan: true },
    }),
  ]);
  if (!ctx || !report) return null;
  const settings = verifySettingsSchema.parse(report.settings);
  const columns: ColumnInfo[] = ctx.targetTable.columns;
  const comparers = compileComparers(columns, targetColumnsOf(ctx.spec), settings);
  const keyComparers = compileKeyComparers(columns, ctx.spec.target.key, settings);
  const targetReadColumns = [...new Set([...ctx.spec.target.key, ...comparers.map((c) => c.column)])];
  return {
    ...ctx,
    reportId: report.id,
    mappingId: report.mappingId,
    mode: report.mode === 'aligned' ? 'aligned' : 'general',
    settings,
    plan: (report.plan as InDatabasePlan | null) ?? null,
    comparers,
    keyComparers,
    targetReadColumns,
  };
}
