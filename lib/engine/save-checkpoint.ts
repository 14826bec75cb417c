import type { KeyTuple } from '../connectors/connector';
import { prisma, type Prisma } from '../db/client';
import type { ErrorRowDraft } from './error-row-draft';
import { keyText } from './key-text';
import { LeaseLostError } from './chunk-lease';

export interface BatchOutcome {
  /** Key of the last source row of the batch: the next read starts after it. */
  cursor: KeyTuple;
  read: number;
  written: number;
  duplicates: number;
  errors: ErrorRowDraft[];
}

/** JSON for PostgreSQL: bigint and Date made portable, nothing lost silently. */
function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)),
  ) as Prisma.InputJsonValue;
}

/**
 * Records a batch's error rows and moves the chunk's cursor and counters in one
 * transaction, if this attempt still holds the chunk's lease. Rows were already upserted
 * into the target: if the process dies before this commits, the batch is read and
 * upserted again and counted once, here.
 */
export async function saveCheckpoint(
  jobId: string,
  chunkId: string,
  leaseId: string,
  mappingVersionId: string,
  outcome: BatchOutcome,
): Promise<void> {
  const errorRows: Prisma.ErrorRowCreateManyInput[] = outcome.errors.map((e) => ({
    jobId,
    chunkId,
    mappingVersionId,
    sourceKey: toJson(e.sourceKey),
    sourceKeyText: keyText(e.sourceKey),
    sourceRow: toJson(e.sourceRow),
    stage: e.stage,
    field: e.field,
    code: e.code,
    message: e.message.slice(0, 2000),
  }));
  await prisma().$transaction(async (tx) => {
    await tx.errorRow.createMany({ data: errorRows, skipDuplicates: true });
    const moved = await tx.chunk.updateMany({
      where: { id: chunkId, leaseId },
      data: {
        cursor: toJson(outcome.cursor),
        rowsRead: { increment: outcome.read },
        rowsWritten: { increment: outcome.written },
        rowsFailed: { increment: outcome.errors.length },
        rowsDuplicate: { increment: outcome.duplicates },
        heartbeatAt: new Date(),
      },
    });
    // Another attempt owns the chunk now: roll back, so this batch is counted by it alone.
    if (moved.count !== 1) throw new LeaseLostError(chunkId);
  });
}
