import type { TableDetail } from '../connectors/connector';
import { prisma } from '../db/client';
import { cachedConnector } from '../engine/connector-cache';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { assertMappingNotArchived } from '../saved-mappings/mapping-archive-guard';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import type { CreateSyncRequest, SyncSettings } from '../schemas/sync-settings';
import { isFinal } from '../jobs/job-state';

const CURSOR_FAMILIES = new Set(['integer', 'timestamp', 'timestamptz', 'date']);

/**
 * Checks settings against the mapping's tables (the cursor and soft-delete columns in the
 * source, the mark column in the target, a source that can be read by cursor) and answers
 * 422 naming the field.
 */
async function checkAgainstTables(mapping: { sourceConnectionId: string; sourceTable: string; targetConnectionId: string; targetTable: string }, settings: SyncSettings) {
  const [source, target, sourceTable, targetTable] = await reachable('Could not read the mapping’s tables', async () => {
    const [s, t] = await Promise.all([cachedConnector(mapping.sourceConnectionId), cachedConnector(mapping.targetConnectionId)]);
    return [s, t, ...(await Promise.all([s.describeTable(mapping.sourceTable), t.describeTable(mapping.targetTable)]))] as const;
  });
  const column = (table: TableDetail, name: string) => table.columns.find((c) => c.name === name);
  const issues: { path: string; message: string }[] = [];
  if (settings.mode === 'cursor' && settings.cursorColumn) {
    const c = column(sourceTable, settings.cursorColumn);
    if (!c) issues.push({ path: 'body.settings.cursorColumn', message: `is not a column of ${mapping.sourceTable}` });
    else if (!CURSOR_FAMILIES.has(c.family)) issues.push({ path: 'body.settings.cursorColumn', message: `must be a timestamp or integer column (${c.name} is ${c.dataType})` });
    if (!source.cursorReader) issues.push({ path: 'body.settings.mode', message: `a ${source.kind} source cannot be read by cursor` });
  }
  if (settings.softDeleteColumn && !column(sourceTable, settings.softDeleteColumn)) issues.push({ path: 'body.settings.softDeleteColumn', message: `is not a column of ${mapping.sourceTable}` });
  if (settings.deletePolicy === 'mark' && settings.markColumn) {
    const c = column(targetTable, settings.markColumn);
    if (!c) issues.push({ path: 'body.settings.markColumn', message: `is not a column of ${mapping.targetTable}` });
    else if (!['timestamp', 'timestamptz', 'date', 'boolean', 'integer'].includes(c.family)) issues.push({ path: 'body.settings.markColumn', message: `must be a timestamp, date, boolean or integer column (${c.name} is ${c.dataType})` });
  }
  if (settings.mode === 'log' && !['postgres', 'mysql'].includes(source.kind)) issues.push({ path: 'body.settings.mode', message: `a ${source.kind} source has no change log` });
  if (issues.length) throw new AppError('validation_failed', 'The sync settings do not fit the mapping’s tables', issues);
}

/** A database that does not answer is the client's 502 (connection_failed), never a 500. */
export async function reachable<T>(what: string, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('connection_failed', `${what}: ${(error as Error).message}`);
  }
}

const settingsData = (s: SyncSettings) => ({
  mode: s.mode,
  cursorColumn: s.mode === 'cursor' ? s.cursorColumn ?? null : null,
  lagMs: s.lagMs,
  everySeconds: s.mode === 'cursor' ? s.everySeconds ?? null : null,
  cron: s.mode === 'cursor' ? s.cron ?? null : null,
  timeZone: s.timeZone,
  deletePolicy: s.deletePolicy,
  markColumn: s.deletePolicy === 'mark' ? s.markColumn ?? null : null,
  softDeleteColumn: s.mode === 'cursor' ? s.softDeleteColumn ?? null : null,
  reconcileMinutes: s.reconcileMinutes,
  initialLoad: s.initialLoad,
  verifyMinutes: s.verifyMinutes,
});

/** A mapping has at most one sync. */
export async function createSync(actor: Actor, request: CreateSyncRequest) {
  const mapping = await prisma().mapping.findUnique({
    where: { id: request.mappingId },
    select: { id: true, name: true, archivedAt: true, sourceConnectionId: true, sourceTable: true, targetConnectionId: true, targetTable: true, latestVersion: true, sync: { select: { id: true } } },
  });
  if (!mapping) throw notFound('Mapping');
  assertMappingNotArchived(mapping, 'creating a sync');
  if (mapping.sync) throw new AppError('conflict', `Mapping "${mapping.name}" already has a sync`, [{ path: 'body.mappingId', message: 'already has a sync' }]);
  if (mapping.latestVersion === 0) throw new AppError('validation_failed', 'Save the mapping before creating a sync', [{ path: 'body.mappingId', message: 'has no saved version' }]);
  await checkAgainstTables(mapping, request.settings);
  const sync = await prisma().sync.create({ data: { mappingId: mapping.id, createdById: actor.id, ...settingsData(request.settings) } });
  await recordAudit(actor, 'sync.create', 'sync', sync.id, null, { mapping: mapping.name, ...settingsData(request.settings) });
  return sync;
}

/** Settings change only while the sync is not running (stop it, edit, start again). */
export async function updateSync(actor: Actor, syncId: string, settings: SyncSettings) {
  const sync = await prisma().sync.findUnique({
    where: { id: syncId },
    include: { job: { select: { status: true } }, mapping: { select: { sourceConnectionId: true, sourceTable: true, targetConnectionId: true, targetTable: true } } },
  });
  if (!sync) throw notFound('Sync');
  if (sync.job && !isFinal(sync.job.status)) throw new AppError('illegal_transition', `Stop the sync before changing its settings (it is ${sync.job.status.replace(/_/g, ' ')})`);
  await checkAgainstTables(sync.mapping, settings);
  const before = settingsData({ ...sync, cursorColumn: sync.cursorColumn, cron: sync.cron } as SyncSettings);
  const updated = await prisma().sync.update({ where: { id: syncId }, data: settingsData(settings) });
  await recordAudit(actor, 'sync.update', 'sync', syncId, before, settingsData(settings));
  return updated;
}

/** The mapping's latest version spec (a sync starts with it). */
export async function latestSpec(mappingId: string) {
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { id: mappingId }, select: { latestVersion: true } });
  const version = await prisma().mappingVersion.findUniqueOrThrow({ where: { mappingId_version: { mappingId, version: mapping.latestVersion } }, select: { id: true, version: true, spec: true } });
  return { id: version.id, version: version.version, spec: mappingSpecSchema.parse(version.spec) };
}
