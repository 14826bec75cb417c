import type { Connector, TableDetail } from '../connectors/connector';
import { prisma } from '../db/client';
import { mappingSpecSchema, type MappingSpec } from '../schemas/mapping-spec';
import { jobOptionsSchema, type JobOptions } from '../schemas/job-request';
import type { JobStatus } from '../jobs/job-state';
import { onSide } from '../jobs/classify-job-failure';
import { cachedConnector, cachedTableDetail } from './connector-cache';

export interface JobContext {
  jobId: string;
  status: JobStatus;
  mappingVersionId: string;
  options: JobOptions;
  spec: MappingSpec;
  source: Connector;
  target: Connector;
  sourceTable: TableDetail;
  targetTable: TableDetail;
}

/** Everything a processor needs about a job, with connectors from the process cache. */
export async function loadJobContext(jobId: string): Promise<JobContext | null> {
  const job = await prisma().job.findUnique({
    where: { id: jobId },
    select: {
      status: true,
      options: true,
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
  return {
    jobId,
    status: job.status,
    mappingVersionId: job.mappingVersionId,
    options: jobOptionsSchema.parse(job.options),
    spec: mappingSpecSchema.parse(job.mappingVersion.spec),
    source,
    target,
    sourceTable,
    targetTable,
  };
}
