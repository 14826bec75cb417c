import type { Connector, TableDetail } from '../connectors/connector';
import { prisma } from '../db/client';
import { mappingSpecSchema, type MappingSpec } from '../schemas/mapping-spec';
import { jobOptionsSchema, type JobOptions } from '../schemas/job-request';
import type { JobStatus } from '../jobs/job-state';
import { onSide } from '../jobs/classify-job-failure';
import { cachedConnector, cachedTableDetail } from './connector-cache';
import { makeIdRecorder, type IdRecorder } from './record-ids';
import { makeReferenceResolver, type ReferenceResolver } from './resolve-references';
import { specForPlanStep } from './spec-for-plan-step';

export interface JobContext {
  jobId: string;
  mappingId: string;
  status: JobStatus;
  mappingVersionId: string;
  options: JobOptions;
  spec: MappingSpec;
  source: Connector;
  target: Connector;
  sourceTable: TableDetail;
  targetTable: TableDetail;
  /** Resolves the spec's reference fields per batch; null without any. */
  references: ReferenceResolver | null;
  /** Records source key → target id when other mappings refer to this one; null otherwise. */
  ids: IdRecorder | null;
}

/** Everything a processor needs about a job, with connectors from the process cache. */
export async function loadJobContext(jobId: string): Promise<JobContext | null> {
  const job = await prisma().job.findUnique({
    where: { id: jobId },
    select: {
      status: true,
      options: true,
      mappingId: true,
      planStep: true,
      planRun: { select: { steps: true } },
      mappingVersionId: true,
      mappingVersion: { select: { spec: true } },
      mapping: { select: { sourceConnectionId: true, sourceTable: true, targetConnectionId: true, targetTable: true } },
    },
  });
  if (!job) return null;
  const { mapping } = job;
  const [source, target, sourceTable, targetTable] = await Promise.all([
    onSide('source', cachedConnector(mapping.sourceConnectionId)),
    onSide('target', cachedConnector(mapping.targetConnectionId)),
    onSide('source', cachedTableDetail(mapping.sourceConnectionId, mapping.sourceTable)),
    onSide('target', cachedTableDetail(mapping.targetConnectionId, mapping.targetTable)),
  ]);
  const spec = specForPlanStep(mappingSpecSchema.parse(job.mappingVersion.spec), job.mappingId, job.planStep, job.planRun?.steps);
  const [references, ids] = await Promise.all([
    makeReferenceResolver(spec, targetTable.columns),
    makeIdRecorder(job.mappingId, spec, target, targetTable),
  ]);
  return {
    jobId,
    mappingId: job.mappingId,
    status: job.status,
    mappingVersionId: job.mappingVersionId,
    options: jobOptionsSchema.parse(job.options),
    spec,
    source,
    target,
    sourceTable,
    targetTable,
    references,
    ids,
  };
}
