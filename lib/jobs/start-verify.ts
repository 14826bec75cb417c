import { deferredFieldsOf } from '../engine/spec-for-plan-step';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { assertMappingNotArchived, lockUnarchivedMapping } from '../saved-mappings/mapping-archive-guard';
import { verifySettingsSchema, type StartVerifyRequest } from '../schemas/consistency';
import { enqueuePlanner } from './enqueue-planner';
import { verifyKind } from './kinds/verify';
import { recordEvent } from './record-event';

export interface VerifyTrigger {
  /** The migration/sync/repair job whose end starts this verification. */
  parentJobId: string;
  /** The mapping version that job ran (a repair: the latest). */
  mappingVersionId: string;
}

/**
 * Creates a verify job and its (empty) report and hands it to the planner. The version
 * is pinned like a migration's; settings are the mapping's saved ones with the request's
 * overrides for this run only.
 */
export async function startVerify(actor: Actor | null, mappingId: string, request: StartVerifyRequest, trigger?: VerifyTrigger) {
  const mapping = await prisma().mapping.findUnique({
    where: { id: mappingId },
    select: { id: true, name: true, latestVersion: true, verifySettings: true, archivedAt: true },
  });
  if (!mapping) throw notFound('Mapping');
  assertMappingNotArchived(mapping, 'verifying it');
  let version: { id: string; version: number } | null;
  if (trigger) {
    version = await prisma().mappingVersion.findUnique({ where: { id: trigger.mappingVersionId }, select: { id: true, version: true } });
  } else {
    const number = request.version ?? mapping.latestVersion;
    version = await prisma().mappingVersion.findUnique({ where: { mappingId_version: { mappingId, version: number } }, select: { id: true, version: true } });
    if (!version) throw new AppError('validation_failed', `Mapping has no version ${number}`, [{ path: 'body.version', message: 'does not exist' }]);
  }
  if (!version) throw notFound('Mapping version');
  const saved = verifySettingsSchema.parse(mapping.verifySettings ?? {});
  const overrides = request.settings ?? {};
  const settings = verifySettingsSchema.parse({ ...saved, ...overrides, columns: { ...saved.columns, ...(overrides.columns ?? {}) } });

  const job = await prisma().$transaction(async (tx) => {
    await lockUnarchivedMapping(tx, mappingId, 'verifying it');
    const created = await tx.job.create({
      data: {
        kind: 'verify',
        mappingId,
        mappingVersionId: version.id,
        parentJobId: trigger?.parentJobId ?? null,
        createdById: actor?.id ?? null,
      },
      select: { id: true, kind: true, status: true },
    });
    await tx.consistencyReport.create({
      data: { jobId: created.id, mappingId, mappingVersionId: version.id, settings: settings as Prisma.InputJsonValue },
    });
    return created;
  });
  const by = trigger ? `automatically after job ${trigger.parentJobId}` : `by ${actor?.email ?? 'the system'}`;
  await recordEvent(job.id, 'created', `Verification of "${mapping.name}" v${version.version} queued ${by}`, { settings });
  if (actor) await recordAudit(actor, 'job.verify', 'job', job.id, null, { kind: 'verify', mapping: mapping.name, version: version.version, settings });
  await enqueuePlanner(verifyKind, job.id);
  return job;
}

/** When a finished job of a kind is verified: always (repair), when the mapping's autoVerify is on, or never. */
export type VerifyAfter = 'always' | 'when-enabled' | 'never';

/**
 * Called when a job settles with rows written: starts a verification as its kind asks
 * (`verifyAfter`). Never throws: a verification that cannot start is logged and recorded
 * on the finished job, which stays settled.
 */
export async function startAutoVerify(jobId: string, verifyAfter: VerifyAfter): Promise<void> {
  if (verifyAfter === 'never') return;
  try {
    const job = await prisma().job.findUnique({
      where: { id: jobId },
      select: { status: true, mappingId: true, mappingVersionId: true, planStep: true, planRun: { select: { steps: true } }, mapping: { select: { verifySettings: true } } },
    });
    if (!job || !['completed', 'completed_with_errors'].includes(job.status)) return;
    // A plan's first pass left references of a cycle empty on purpose: its second pass is verified instead.
    if (job.planStep === 'load' && deferredFieldsOf(job.planRun?.steps, job.mappingId).size > 0) return;
    const settings = verifySettingsSchema.parse(job.mapping.verifySettings ?? {});
    if (verifyAfter === 'when-enabled' && !settings.autoVerify) return;
    const already = await prisma().job.findFirst({ where: { parentJobId: jobId, kind: 'verify' }, select: { id: true } });
    if (already) return;
    const verify = await startVerify(null, job.mappingId, {}, { parentJobId: jobId, mappingVersionId: job.mappingVersionId });
    await recordEvent(jobId, 'verify_started', `Verification started: job ${verify.id}`, { verifyJobId: verify.id });
  } catch (error) {
    console.error(`[verify] could not start the verification after job ${jobId}`, error);
    await recordEvent(jobId, 'verify_not_started', `Verification could not start: ${(error as Error).message}`, undefined, 'warn').catch(() => undefined);
  }
}
