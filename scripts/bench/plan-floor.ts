import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { timeCopyFloor, type CopyFloor } from './copy-floor';
import { PLAN_BENCH } from './plan-env';

/** The new CRM's tables in the order their foreign keys allow loading them. */
const TABLES = ['contacts', 'deals', 'payments', 'cases'] as const;

/**
 * What the new CRM's tables cost by themselves (copy-floor.ts): the rows the plan landed,
 * ids included (the copies' foreign keys refer to them), loaded in dependency order.
 */
export async function planTargetFloor(): Promise<CopyFloor> {
  const folder = path.join(os.tmpdir(), `ferry-plan-floor-${process.pid}`);
  try {
    return await timeCopyFloor(PLAN_BENCH.target, TABLES, folder, 'copied');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
