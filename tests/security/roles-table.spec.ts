import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { ok, eventually } from '../../e2e/fixtures/api-wait';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { credentialsFor, signInAs, type DemoRole } from '../../e2e/fixtures/auth';
import { freshPeopleDatabases, peopleSpec } from '../../e2e/fixtures/people-mapping';
import { loadRouteCatalog, type HttpMethod } from '../../e2e/fixtures/route-catalog';
import { appOrigin } from './support/api';

/**
 * Issue 17, item 6: the role table of the README, checked cell by cell through the API.
 *
 * `table` below is the README's table (same rows, same words, same ticks), written here by
 * hand and NOT read from lib/auth/roles.ts: the test compares what the server does with what
 * the README promises. Each row lists the requests that perform the action. Every route the
 * app has must appear in some row (a new route fails the first test until it is placed).
 *
 * Per row and role: allowed → the answer is neither 401 nor 403 (and below 500); refused →
 * 403 `forbidden`, and Ferry's state and the target table are exactly as before. Refused
 * requests are real ones (a corrected error row that would land, a valid migration start),
 * so the 403 is what stops them. Refused cells run first, while nothing else moves.
 */

type Role = 'admin' | 'analyst' | 'viewer';
const roles: readonly Role[] = ['admin', 'analyst', 'viewer'];

interface World {
  stamp: number;
  targetDatabase: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** Renamed by the roles that may edit connections. */
  spareConnectionId: string;
  /** One per role: deleted by that role when it may. */
  disposableConnections: Record<Role, string>;
  mappingId: string;
  mappingName: string;
  /** New versions and verification settings land here. */
  spareMappingId: string;
  /** One per role: archived, then restored, by that role when it may. */
  disposableMappings: Record<Role, string>;
  /** Archived in setup: erased by an admin, with its name typed. */
  purgeMapping: { id: string; name: string };
  jobId: string;
  reportId: string;
  /** Error row ids by source key id (every 10th row fails: status P has no value). */
  errorRowByKey: Map<number, number>;
  victimUserId: string;
  /** A stopped log sync (from now on) whose job has one open error row (row 10: status P has no value). */
  syncId: string;
  syncJobId: string;
  /** One per role: the mapping that role creates a sync for when it may. */
  syncMappings: Record<Role, string>;
  /** A plan of one mapping (people → contacts) whose one run finished in setup. */
  planId: string;
  planRunId: string;
  planMappingId: string;
  /** Renamed by the roles that may edit plans. */
  sparePlanId: string;
  /** One per role: deleted by that role when it may. */
  disposablePlans: Record<Role, string>;
  /** A file source (a csv connection) with the files below. */
  fileSourceId: string;
  /** One per role: an upload nothing was received of yet; that role sends its bytes when it may. */
  uploadingFiles: Record<Role, string>;
  /** One per role: an upload with every byte; that role confirms its shape when it may. */
  uploadedFiles: Record<Role, string>;
  /** One per role: an upload that role deletes when it may. */
  disposableFiles: Record<Role, string>;
  /** The shape detection found for the uploaded files (all alike). */
  fileShape: unknown;
  /** A file inside the storage folder, registrable by path. */
  registrablePath: string;
}

interface Call {
  method: HttpMethod;
  /** As the route catalog names it: /api/jobs/[id]/errors/[errorId]/replay */
  pattern: string;
  params?: (w: World, role: Role) => Record<string, string>;
  query?: string;
  body?: (w: World, role: Role) => unknown;
  headers?: Record<string, string>;
  /** Run as admin before the call: makes a refused call one that would otherwise change something. */
  prepare?: (w: World, admin: APIRequestContext) => Promise<void>;
}

interface Row {
  action: string;
  admin: boolean;
  analyst: boolean;
  viewer: boolean;
  calls: Call[];
}

const Y = true;
const N = false;
const id = (w: World) => ({ id: w.mappingId });
const connectionConfig = (w: World, label: string, database: string) => ({
  name: `Roles ${label} ${w.stamp}`,
  kind: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  database,
  username: 'postgres',
  sslMode: 'disable',
  schema: 'public',
});
const spec = peopleSpec({ A: 'active' });
/** The bytes of every file this spec uploads or registers. */
const rolesCsv = 'id;name;city\n1;Ann;Köln\n2;Bob;Wien\n';
/** Corrects a row so that replaying it would land. */
const correctRow = (key: number) => async (w: World, admin: APIRequestContext) => {
  const response = await admin.patch(`/api/jobs/${w.jobId}/errors/${w.errorRowByKey.get(key)}`, { data: { values: { status: 'A' } } });
  expect(response.status(), await response.text()).toBe(200);
};

/** The README's role table. */
const table: Row[] = [
  {
    action: 'Sign in and out, see their own account',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/auth/me' },
      { method: 'POST', pattern: '/api/auth/login', body: (_, role) => credentialsFor(role) },
      { method: 'POST', pattern: '/api/auth/logout' },
    ],
  },
  {
    action: 'See connections, their tables and columns; test a saved connection',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/connections' },
      { method: 'GET', pattern: '/api/connections/[id]', params: (w) => ({ id: w.sourceConnectionId }) },
      { method: 'GET', pattern: '/api/connections/[id]/tables', params: (w) => ({ id: w.sourceConnectionId }) },
      { method: 'GET', pattern: '/api/connections/[id]/tables/[table]', params: (w) => ({ id: w.sourceConnectionId, table: 'people' }) },
      { method: 'POST', pattern: '/api/connections/[id]/test', params: (w) => ({ id: w.sourceConnectionId }) },
    ],
  },
  {
    action: 'See mappings, their versions and consistency',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/mappings' },
      { method: 'GET', pattern: '/api/mappings/[id]', params: id },
      { method: 'GET', pattern: '/api/mappings/[id]/consistency', params: id },
    ],
  },
  {
    action: 'Check a mapping against the tables (reads column definitions, no rows)',
    admin: Y, analyst: Y, viewer: Y,
    calls: [{ method: 'POST', pattern: '/api/mappings/check', body: (w) => ({ sourceConnectionId: w.sourceConnectionId, targetConnectionId: w.targetConnectionId, spec }) }],
  },
  {
    action: 'Preview a saved mapping version (sample rows; the write is rehearsed in a target transaction that is always rolled back)',
    admin: Y, analyst: Y, viewer: Y,
    calls: [{ method: 'POST', pattern: '/api/mappings/preview', body: (w) => ({ mappingId: w.mappingId, version: 1, limit: 5 }) }],
  },
  {
    action: 'Preview an unsaved mapping (any table and column of the source; same rehearsal)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      {
        method: 'POST',
        pattern: '/api/mappings/preview',
        body: (w) => ({ sourceConnectionId: w.sourceConnectionId, targetConnectionId: w.targetConnectionId, spec, limit: 5 }),
      },
    ],
  },
  {
    action: 'See jobs, their progress, events and error rows; download error rows (CSV)',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/jobs' },
      { method: 'GET', pattern: '/api/jobs/[id]', params: (w) => ({ id: w.jobId }) },
      { method: 'GET', pattern: '/api/jobs/[id]/events', params: (w) => ({ id: w.jobId }) },
      { method: 'GET', pattern: '/api/jobs/[id]/errors', params: (w) => ({ id: w.jobId }) },
      { method: 'GET', pattern: '/api/jobs/[id]/errors.csv', params: (w) => ({ id: w.jobId }) },
      { method: 'GET', pattern: '/api/jobs/[id]/consistency', params: (w) => ({ id: w.jobId }) },
    ],
  },
  {
    action: 'See verification reports; download differences (CSV)',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/consistency/[reportId]/diffs', params: (w) => ({ reportId: w.reportId }) },
      { method: 'GET', pattern: '/api/consistency/[reportId]/diffs.csv', params: (w) => ({ reportId: w.reportId }) },
    ],
  },
  {
    action: 'Create, edit and delete connections; test unsaved connection settings',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/connections', body: (w, role) => connectionConfig(w, `created by ${role}`, 'postgres') },
      {
        method: 'PUT',
        pattern: '/api/connections/[id]',
        params: (w) => ({ id: w.spareConnectionId }),
        body: (w, role) => ({ ...connectionConfig(w, `spare renamed by ${role}`, `${w.targetDatabase}`) }),
      },
      { method: 'DELETE', pattern: '/api/connections/[id]', params: (w, role) => ({ id: w.disposableConnections[role] }) },
      { method: 'POST', pattern: '/api/connections/test', body: (w) => connectionConfig(w, 'tested', w.targetDatabase) },
    ],
  },
  {
    action: 'See file sources, their files and how a file reads (shape detection with chosen settings)',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/file-sources' },
      { method: 'GET', pattern: '/api/file-sources/[id]', params: (w) => ({ id: w.fileSourceId }) },
      { method: 'GET', pattern: '/api/source-files/[id]', params: (w) => ({ id: w.uploadedFiles.admin }) },
      { method: 'POST', pattern: '/api/source-files/[id]/shape', params: (w) => ({ id: w.uploadedFiles.admin }), body: () => ({ overrides: { delimiter: ',' } }) },
    ],
  },
  {
    action: "Create file sources, upload files, confirm a file's shape, delete versions no table reads",
    admin: Y, analyst: Y, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/file-sources', body: (w, role) => ({ name: `Roles files created by ${role} ${w.stamp}` }) },
      {
        method: 'POST',
        pattern: '/api/file-sources/[id]/files',
        params: (w) => ({ id: w.fileSourceId }),
        body: (_, role) => ({ tableName: `started_by_${role}`, originalName: 'started.csv', bytes: 100 }),
      },
      {
        method: 'PUT',
        pattern: '/api/source-files/[id]/content',
        params: (w, role) => ({ id: w.uploadingFiles[role] }),
        query: 'offset=0',
        headers: { 'content-type': 'application/octet-stream' },
        body: () => Buffer.from(rolesCsv),
      },
      { method: 'POST', pattern: '/api/source-files/[id]/confirm', params: (w, role) => ({ id: w.uploadedFiles[role] }), body: (w) => ({ shape: w.fileShape }) },
      { method: 'DELETE', pattern: '/api/source-files/[id]', params: (w, role) => ({ id: w.disposableFiles[role] }) },
    ],
  },
  {
    action: 'Add a file already on the server by its path (inside the allowed folders; it is not copied)',
    admin: Y, analyst: N, viewer: N,
    calls: [
      {
        method: 'POST',
        pattern: '/api/file-sources/[id]/files/register',
        params: (w) => ({ id: w.fileSourceId }),
        body: (w, role) => ({ path: w.registrablePath, tableName: `registered_by_${role}` }),
      },
    ],
  },
  {
    action: 'Create mappings, save new versions, suggest columns (auto-map)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      {
        method: 'POST',
        pattern: '/api/mappings',
        body: (w, role) => ({ name: `Roles created by ${role} ${w.stamp}`, sourceConnectionId: w.sourceConnectionId, targetConnectionId: w.targetConnectionId, spec }),
      },
      { method: 'POST', pattern: '/api/mappings/[id]/versions', params: (w) => ({ id: w.spareMappingId }), body: (_, role) => ({ spec, comment: `saved by ${role}` }) },
      {
        method: 'POST',
        pattern: '/api/mappings/auto-map',
        body: (w) => ({ sourceConnectionId: w.sourceConnectionId, targetConnectionId: w.targetConnectionId, sourceTable: 'people', targetTable: 'contacts' }),
      },
    ],
  },
  {
    action: 'Change how a mapping is verified (settings)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      {
        method: 'PUT',
        pattern: '/api/mappings/[id]/verify-settings',
        params: (w) => ({ id: w.spareMappingId }),
        body: () => ({ columns: { email: { trim: true, caseInsensitive: true } }, rangeRows: 1000, autoVerify: false }),
      },
    ],
  },
  {
    action: 'Archive and restore a mapping (its history is kept)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      { method: 'DELETE', pattern: '/api/mappings/[id]', params: (w, role) => ({ id: w.disposableMappings[role] }) },
      { method: 'POST', pattern: '/api/mappings/[id]/restore', params: (w, role) => ({ id: w.disposableMappings[role] }) },
    ],
  },
  {
    action: "Correct a failed row's values (kept in Ferry; nothing is written to the target)",
    admin: Y, analyst: Y, viewer: N,
    calls: [
      {
        method: 'PATCH',
        pattern: '/api/jobs/[id]/errors/[errorId]',
        params: (w) => ({ id: w.jobId, errorId: String(w.errorRowByKey.get(30)) }),
        body: () => ({ values: { status: 'A' } }),
      },
    ],
  },
  {
    action: 'Replay one failed row (writes it to the target)',
    admin: Y, analyst: N, viewer: N,
    calls: [
      {
        method: 'POST',
        pattern: '/api/jobs/[id]/errors/[errorId]/replay',
        params: (w) => ({ id: w.jobId, errorId: String(w.errorRowByKey.get(10)) }),
        prepare: correctRow(10),
      },
    ],
  },
  {
    action: "Replay a job's failed rows (writes them to the target)",
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/jobs/[id]/replay', params: (w) => ({ id: w.jobId }), body: () => ({}), prepare: correctRow(20) }],
  },
  {
    action: "Verify a mapping's target (reads both sides)",
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/mappings/[id]/verify', params: id, body: () => ({}) }],
  },
  {
    action: 'Repair the target from a verification report (writes, deletes extra rows when confirmed)',
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/consistency/[reportId]/repair', params: (w) => ({ reportId: w.reportId }), body: () => ({ deleteExtra: false }) }],
  },
  {
    action: 'Start a migration (writes to the target)',
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/jobs', body: (w) => ({ mappingId: w.mappingId, options: { chunkRows: 100, batchRows: 10 } }) }],
  },
  {
    action: 'Pause, resume or cancel a job',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/jobs/[id]/pause', params: (w) => ({ id: w.jobId }) },
      { method: 'POST', pattern: '/api/jobs/[id]/resume', params: (w) => ({ id: w.jobId }) },
      { method: 'POST', pattern: '/api/jobs/[id]/cancel', params: (w) => ({ id: w.jobId }) },
    ],
  },
  {
    action: 'See syncs: their state, delay, throughput and settings',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/syncs' },
      { method: 'GET', pattern: '/api/syncs/[id]', params: (w) => ({ id: w.syncId }) },
    ],
  },
  {
    action: 'Create a sync for a mapping and change its settings (nothing runs until an admin starts it)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/syncs', body: (w, role) => ({ mappingId: w.syncMappings[role], settings: { mode: 'log', initialLoad: 'from_now' } }) },
      {
        method: 'PUT',
        pattern: '/api/syncs/[id]',
        params: (w) => ({ id: w.syncId }),
        body: () => ({ settings: { mode: 'log', initialLoad: 'from_now', verifyMinutes: 30 } }),
      },
    ],
  },
  {
    action: "Dismiss a sync's failed rows (it stops retrying them)",
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/jobs/[id]/errors/dismiss', params: (w) => ({ id: w.syncJobId }), body: () => ({}) }],
  },
  {
    action: 'Start, pause, resume or stop a sync (writes to the target)',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/syncs/[id]/start', params: (w) => ({ id: w.syncId }) },
      { method: 'POST', pattern: '/api/syncs/[id]/pause', params: (w) => ({ id: w.syncId }) },
      { method: 'POST', pattern: '/api/syncs/[id]/resume', params: (w) => ({ id: w.syncId }) },
      { method: 'POST', pattern: '/api/syncs/[id]/stop', params: (w) => ({ id: w.syncId }) },
    ],
  },
  {
    action: 'See plans: their mappings, order, runs and each step\'s progress',
    admin: Y, analyst: Y, viewer: Y,
    calls: [
      { method: 'GET', pattern: '/api/plans' },
      { method: 'GET', pattern: '/api/plans/[id]', params: (w) => ({ id: w.planId }) },
    ],
  },
  {
    action: 'Create, edit and delete plans (nothing runs until an admin runs them)',
    admin: Y, analyst: Y, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/plans', body: (w, role) => ({ name: `Roles plan created by ${role} ${w.stamp}`, mappingIds: [w.spareMappingId] }) },
      {
        method: 'PUT',
        pattern: '/api/plans/[id]',
        params: (w) => ({ id: w.sparePlanId }),
        body: (w, role) => ({ name: `Roles plan spare renamed by ${role} ${w.stamp}`, mappingIds: [w.spareMappingId] }),
      },
      { method: 'DELETE', pattern: '/api/plans/[id]', params: (w, role) => ({ id: w.disposablePlans[role] }) },
    ],
  },
  {
    action: 'Run a plan, or re-run part of it (writes to the targets)',
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/plans/[id]/runs', params: (w) => ({ id: w.planId }), body: (w) => ({ rerun: [w.planMappingId] }) }],
  },
  {
    action: 'Pause, resume or cancel a plan run',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/plan-runs/[id]/pause', params: (w) => ({ id: w.planRunId }) },
      { method: 'POST', pattern: '/api/plan-runs/[id]/resume', params: (w) => ({ id: w.planRunId }) },
      { method: 'POST', pattern: '/api/plan-runs/[id]/cancel', params: (w) => ({ id: w.planRunId }) },
    ],
  },
  {
    action: 'Replay the rows that wait for a parent row once it landed (writes them to the target)',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'POST', pattern: '/api/jobs/[id]/errors/[errorId]/replay-children', params: (w) => ({ id: w.jobId, errorId: String(w.errorRowByKey.get(40)) }) },
    ],
  },
  {
    action: "Erase an archived mapping with its history, typing its name",
    admin: Y, analyst: N, viewer: N,
    calls: [{ method: 'POST', pattern: '/api/mappings/[id]/purge', params: (w) => ({ id: w.purgeMapping.id }), body: (w) => ({ confirmName: w.purgeMapping.name }) }],
  },
  {
    action: 'Manage users (list, create, change role, disable)',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'GET', pattern: '/api/users' },
      {
        method: 'POST',
        pattern: '/api/users',
        body: (w, role) => ({ email: `roles-${role}-${w.stamp}@ferry.test`, name: `Made by ${role}`, role: 'admin', password: 'roles-password-0123' }),
      },
      { method: 'PATCH', pattern: '/api/users/[id]', params: (w) => ({ id: w.victimUserId }), body: () => ({ role: 'admin' }) },
    ],
  },
  {
    action: 'Read the audit log',
    admin: Y, analyst: N, viewer: N,
    calls: [
      { method: 'GET', pattern: '/api/audit' },
      { method: 'GET', pattern: '/api/audit/actors' },
    ],
  },
];

/** Routes for machines, answered without a session (not in the README's role table). */
const machineRoutes: Call[] = [
  { method: 'GET', pattern: '/api/health' },
  { method: 'GET', pattern: '/api/metrics', headers: { authorization: `Bearer ${process.env.METRICS_TOKEN ?? ''}` } },
];
/** Answered to anyone, signed in or not. */
const publicPatterns = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/health', 'GET /api/metrics']);

const clients = new Map<Role | 'anonymous', APIRequestContext>();
let world: World;

async function signIn(role: Role): Promise<void> {
  const { email, password } = credentialsFor(role as DemoRole);
  await ok(clients.get(role)!.post('/api/auth/login', { data: { email, password } }));
}

const finished = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** The JSON of a response that must be 201 (an upload started). */
async function created<T>(response: Promise<APIResponse>): Promise<T> {
  const answer = await response;
  expect(answer.status(), await answer.text()).toBe(201);
  return (await answer.json()) as T;
}

async function buildWorld(admin: APIRequestContext): Promise<World> {
  const stamp = Date.now();
  const databases = await freshPeopleDatabases('sec_roles', 60);
  const connection = async (label: string, database: string) =>
    (await ok<{ connection: { id: string } }>(admin.post('/api/connections', { data: connectionConfig({ stamp } as World, label, database) }))).connection.id;
  const sourceConnectionId = await connection('source', databases.source);
  const targetConnectionId = await connection('target', databases.target);
  const spareConnectionId = await connection('spare', databases.target);
  const disposableConnections = { admin: await connection('disposable admin', databases.target), analyst: await connection('disposable analyst', databases.target), viewer: await connection('disposable viewer', databases.target) };
  const mapping = async (name: string) =>
    (await ok<{ mapping: { id: string } }>(admin.post('/api/mappings', { data: { name, sourceConnectionId, targetConnectionId, spec } }))).mapping.id;
  const mappingName = `Roles people ${stamp}`;
  const mappingId = await mapping(mappingName);
  const spareMappingId = await mapping(`Roles spare ${stamp}`);
  const disposableMappings = {
    admin: await mapping(`Roles disposable admin ${stamp}`),
    analyst: await mapping(`Roles disposable analyst ${stamp}`),
    viewer: await mapping(`Roles disposable viewer ${stamp}`),
  };
  const purgeName = `Roles purge ${stamp}`;
  const purgeId = await mapping(purgeName);
  await ok(admin.delete(`/api/mappings/${purgeId}`));

  const jobId = (await ok<{ job: { id: string } }>(admin.post('/api/jobs', { data: { mappingId } }))).job.id;
  await eventually('the migration to finish', async () => {
    const { job } = await ok<{ job: { status: string } }>(admin.get(`/api/jobs/${jobId}`));
    return finished.includes(job.status) ? job.status : null;
  });
  const report = await eventually('its verification to finish', async () => {
    const { report } = await ok<{ report: { id: string; finishedAt: string | null } | null }>(admin.get(`/api/jobs/${jobId}/consistency`));
    return report?.finishedAt ? report : null;
  });
  // The verification the migration started must be settled too: refused cells compare snapshots.
  await eventually('every job of the mapping to settle', async () => {
    const { jobs } = await ok<{ jobs: { status: string }[] }>(admin.get(`/api/jobs?mappingId=${mappingId}`));
    return jobs.every((job) => finished.includes(job.status)) ? true : null;
  });
  const { rows } = await ok<{ rows: { id: number; sourceKey: unknown[] }[] }>(admin.get(`/api/jobs/${jobId}/errors`));
  const errorRowByKey = new Map(rows.map((row) => [Number(row.sourceKey[0]), row.id]));
  expect([...errorRowByKey.keys()]).toEqual(expect.arrayContaining([10, 20, 30]));
  const victim = await ok<{ user: { id: string } }>(
    admin.post('/api/users', { data: { email: `roles-victim-${stamp}@ferry.test`, name: 'Roles victim', role: 'viewer', password: 'roles-victim-password' } }),
  );
  const sync = await stoppedSyncWithErrorRow(admin, await mapping(`Roles sync ${stamp}`), databases.source);
  const syncMappings = {
    admin: await mapping(`Roles sync admin ${stamp}`),
    analyst: await mapping(`Roles sync analyst ${stamp}`),
    viewer: await mapping(`Roles sync viewer ${stamp}`),
  };
  const plans = await plansOf(admin, stamp, await mapping(`Roles plan ${stamp}`), spareMappingId);
  const files = await fileSourceOf(admin, stamp);
  return {
    stamp,
    targetDatabase: databases.target,
    sourceConnectionId,
    targetConnectionId,
    spareConnectionId,
    disposableConnections,
    mappingId,
    mappingName,
    spareMappingId,
    disposableMappings,
    purgeMapping: { id: purgeId, name: purgeName },
    jobId,
    reportId: report.id,
    errorRowByKey,
    victimUserId: victim.user.id,
    syncId: sync.syncId,
    syncJobId: sync.jobId,
    syncMappings,
    ...plans,
    ...files,
  };
}

/**
 * A file source with, per role, an upload waiting for its bytes, a complete upload to
 * confirm and one to delete; and a file in the storage folder (registrable by path).
 */
async function fileSourceOf(admin: APIRequestContext, stamp: number) {
  const { fileSource } = await ok<{ fileSource: { id: string } }>(admin.post('/api/file-sources', { data: { name: `Roles files ${stamp}` } }));
  const bytes = Buffer.from(rolesCsv);
  const start = async (tableName: string) =>
    (await created<{ file: { id: string } }>(admin.post(`/api/file-sources/${fileSource.id}/files`, { data: { tableName, originalName: `${tableName}.csv`, bytes: bytes.length } }))).file.id;
  const complete = async (tableName: string) => {
    const id = await start(tableName);
    await ok(admin.put(`/api/source-files/${id}/content?offset=0`, { data: bytes, headers: { 'content-type': 'application/octet-stream' } }));
    return id;
  };
  const perRole = async (make: (tableName: string) => Promise<string>, label: string) => ({
    admin: await make(`${label}_admin`),
    analyst: await make(`${label}_analyst`),
    viewer: await make(`${label}_viewer`),
  });
  const uploadedFiles = await perRole(complete, 'uploaded');
  const { report } = await ok<{ report: { encoding: string; bom: boolean; delimiter: string; quote: string; escape: string; headerRow: number | null; columns: unknown[] } }>(
    admin.get(`/api/source-files/${uploadedFiles.admin}`),
  );
  const { encoding, bom, delimiter, quote, escape, headerRow, columns } = report;
  const storage = process.env.FERRY_FILE_STORAGE;
  if (!storage) throw new Error('FERRY_FILE_STORAGE is unset: source scripts/test-env.sh');
  mkdirSync(storage, { recursive: true });
  const registrablePath = path.join(path.resolve(storage), `roles-${stamp}.csv`);
  writeFileSync(registrablePath, bytes);
  return {
    fileSourceId: fileSource.id,
    uploadingFiles: await perRole(start, 'uploading'),
    uploadedFiles,
    disposableFiles: await perRole(complete, 'disposable'),
    fileShape: { encoding, bom, delimiter, quote, escape, headerRow, columns },
    registrablePath,
  };
}

/**
 * A plan of one mapping run once to its end (its migration and that migration's
 * verification settled, so refused cells compare still snapshots), a spare plan to rename
 * and one plan per role to delete.
 */
async function plansOf(admin: APIRequestContext, stamp: number, planMappingId: string, spareMappingId: string) {
  const plan = async (name: string, mappingId: string) => (await ok<{ plan: { id: string } }>(admin.post('/api/plans', { data: { name, mappingIds: [mappingId] } }))).plan.id;
  const planId = await plan(`Roles plan ${stamp}`, planMappingId);
  const { run } = await ok<{ run: { id: string } }>(admin.post(`/api/plans/${planId}/runs`, { data: {} }));
  await eventually('the plan run to finish', async () => {
    const view = await ok<{ plan: { run: { status: string } | null } }>(admin.get(`/api/plans/${planId}?run=${run.id}`));
    return view.plan.run && finished.includes(view.plan.run.status) ? true : null;
  });
  await eventually('every job of the plan to settle', async () => {
    const { jobs } = await ok<{ jobs: { status: string }[] }>(admin.get(`/api/jobs?mappingId=${planMappingId}`));
    return jobs.length > 0 && jobs.every((job) => finished.includes(job.status)) ? true : null;
  });
  return {
    planId,
    planRunId: run.id,
    planMappingId,
    sparePlanId: await plan(`Roles plan spare ${stamp}`, spareMappingId),
    disposablePlans: {
      admin: await plan(`Roles plan disposable admin ${stamp}`, spareMappingId),
      analyst: await plan(`Roles plan disposable analyst ${stamp}`, spareMappingId),
      viewer: await plan(`Roles plan disposable viewer ${stamp}`, spareMappingId),
    },
  };
}

/**
 * A log sync that ran and was stopped, leaving one open error row: a change to row 10 (status
 * P has no value in the map) failed. Stopped, it holds still while refused cells compare snapshots.
 */
async function stoppedSyncWithErrorRow(admin: APIRequestContext, mappingId: string, sourceDatabase: string) {
  const { sync } = await ok<{ sync: { id: string } }>(admin.post('/api/syncs', { data: { mappingId, settings: { mode: 'log', initialLoad: 'from_now' } } }));
  const { jobId } = await ok<{ jobId: string }>(admin.post(`/api/syncs/${sync.id}/start`));
  const source = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${sourceDatabase}` });
  await source.connect();
  await source.query('UPDATE people SET email = email WHERE id = 10');
  await source.end();
  await eventually('the failed change to be an error row of the sync', async () => {
    const { rows } = await ok<{ rows: unknown[] }>(admin.get(`/api/jobs/${jobId}/errors`));
    return rows.length === 1 ? true : null;
  });
  await ok(admin.post(`/api/syncs/${sync.id}/stop`));
  await eventually('the sync to stop', async () => {
    const view = await ok<{ sync: { state: string } }>(admin.get(`/api/syncs/${sync.id}`));
    return view.sync.state === 'stopped' ? true : null;
  });
  return { syncId: sync.id, jobId };
}

/** Everything a refused request could have changed: Ferry's records (read as admin) and the target table. */
async function snapshot(): Promise<string> {
  const admin = clients.get('admin')!;
  const reads = [
    '/api/connections',
    '/api/mappings',
    '/api/mappings?archived=true',
    `/api/mappings/${world.mappingId}`,
    `/api/mappings/${world.spareMappingId}`,
    `/api/jobs?take=200`,
    `/api/jobs/${world.jobId}/errors?includeResolved=true&take=500`,
    '/api/users',
    '/api/plans',
    '/api/file-sources',
  ];
  const answers: unknown[] = [];
  for (const path of reads) answers.push(await ok(admin.get(path)));
  answers.push(await ok(admin.get(`/api/jobs/${world.syncJobId}/errors?includeResolved=true&take=500`)));
  // The world's syncs without their live figures (D falls to 0 a minute after the last change).
  const { syncs } = await ok<{ syncs: { id: string; mapping: { id: string }; settings: unknown; state: string; jobId: string | null; openErrorRows: number }[] }>(admin.get('/api/syncs'));
  const mine = new Set([world.syncMappings.admin, world.syncMappings.analyst, world.syncMappings.viewer]);
  answers.push(
    syncs
      .filter((s) => s.id === world.syncId || mine.has(s.mapping.id))
      .map(({ id, mapping, settings, state, jobId, openErrorRows }) => ({ id, mapping: mapping.id, settings, state, jobId, openErrorRows })),
  );
  const target = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${world.targetDatabase}` });
  await target.connect();
  const { rows } = await target.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(id || ':' || email || ':' || status, ',' ORDER BY id), '')) AS digest FROM contacts`);
  await target.end();
  return JSON.stringify({ answers, target: rows[0] });
}

function urlOf(call: Call, role: Role): string {
  const params = call.params?.(world, role) ?? {};
  const path = call.pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${call.pattern}: no value for ${name}`);
    return encodeURIComponent(value);
  });
  return call.query ? `${path}?${call.query}` : path;
}

async function send(who: Role | 'anonymous', call: Call, role: Role): Promise<{ status: number; text: string }> {
  const body = call.body?.(world, role);
  const response = await clients.get(who)!.fetch(urlOf(call, role), {
    method: call.method,
    data: body === undefined ? undefined : body,
    headers: call.headers,
    failOnStatusCode: false,
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text() };
}

const describe = (call: Call) => `${call.method} ${call.pattern}`;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(240_000);
  for (const who of [...roles, 'anonymous'] as const) {
    clients.set(who, await playwrightRequest.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } }));
  }
  for (const role of roles) await signIn(role);
  world = await buildWorld(clients.get('admin')!);
});

test.afterAll(async () => {
  // Leave no job running on this spec's databases.
  const admin = clients.get('admin');
  if (admin && world) {
    // A sync left running would keep a worker's slot and the source's replication slot.
    await admin.post(`/api/syncs/${world.syncId}/stop`);
    // The admin's run of the plan, if it still goes: its steps would start after this spec.
    const { plan } = (await (await admin.get(`/api/plans/${world.planId}`)).json()) as { plan?: { run: { id: string; actions: string[] } | null } };
    if (plan?.run?.actions.includes('cancel')) await admin.post(`/api/plan-runs/${plan.run.id}/cancel`);
    const { jobs } = (await (await admin.get('/api/jobs?take=200')).json()) as { jobs: { id: string; status: string; mapping: { id: string } }[] };
    for (const job of jobs) {
      if ((job.mapping.id === world.mappingId || job.mapping.id === world.planMappingId) && !finished.includes(job.status)) await admin.post(`/api/jobs/${job.id}/cancel`);
    }
  }
  for (const client of clients.values()) await client.dispose();
});

test('the table places every route of the app', async () => {
  const catalog = loadRouteCatalog();
  const routes = catalog.flatMap((entry) => entry.methods.map((m) => `${m.method} ${entry.pattern}`)).sort();
  const placed = new Set([...table.flatMap((row) => row.calls), ...machineRoutes].map(describe));
  expect(routes.filter((r) => !placed.has(r)), 'routes missing from the role table').toEqual([]);
  expect([...placed].filter((p) => !routes.includes(p)), 'rows naming routes that do not exist').toEqual([]);
});

// Refused cells first: the world is still, so "nothing changed" means the request changed nothing.
for (const row of table) {
  for (const role of roles.filter((r) => !row[r])) {
    test(`${role} may not: ${row.action}`, async () => {
      for (const call of row.calls) {
        await call.prepare?.(world, clients.get('admin')!);
        const before = await snapshot();
        const { status, text } = await send(role, call, role);
        expect(status, `${describe(call)} as ${role}: ${text.slice(0, 300)}`).toBe(403);
        expect(JSON.parse(text).error.code, describe(call)).toBe('forbidden');
        expect(await snapshot(), `${describe(call)} as ${role} changed something`).toBe(before);
      }
    });
  }
}

for (const row of table) {
  test(`signed out, nobody may: ${row.action}`, async () => {
    for (const call of row.calls.filter((c) => !publicPatterns.has(describe(c)))) {
      const before = await snapshot();
      const { status, text } = await send('anonymous', call, 'viewer');
      expect(status, `${describe(call)} signed out: ${text.slice(0, 300)}`).toBe(401);
      expect(JSON.parse(text).error.code).toBe('unauthenticated');
      expect(await snapshot(), `${describe(call)} signed out changed something`).toBe(before);
    }
  });
}

for (const row of table) {
  for (const role of roles.filter((r) => row[r])) {
    test(`${role} may: ${row.action}`, async () => {
      for (const call of row.calls) {
        await call.prepare?.(world, clients.get('admin')!);
        const { status, text } = await send(role, call, role);
        expect([401, 403], `${describe(call)} as ${role}: ${text.slice(0, 300)}`).not.toContain(status);
        expect(status, `${describe(call)} as ${role}: ${text.slice(0, 300)}`).toBeLessThan(500);
        // Signing out ends the session: the next cells need it again.
        if (describe(call) === 'POST /api/auth/logout') await signIn(role);
      }
    });
  }
}

test('machines: health answers anyone, metrics anyone with the token', async () => {
  for (const call of machineRoutes) {
    const { status, text } = await send('anonymous', call, 'viewer');
    expect(status, `${describe(call)}: ${text.slice(0, 200)}`).toBe(200);
  }
});

test('the job page offers analysts corrections without a replay, and admins the replay', async ({ page }) => {
  await signInAs(page, 'analyst');
  await page.goto(`/jobs/${world.jobId}`);
  await expect(page.getByRole('button', { name: 'Correct values' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Fix & replay' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Correct values' }).first().click();
  await expect(page.getByRole('button', { name: 'Save correction' })).toBeVisible();
  await expect(page.getByRole('button', { name: /replay/i })).toHaveCount(0);

  await signInAs(page, 'admin');
  await page.goto(`/jobs/${world.jobId}`);
  await expect(page.getByRole('button', { name: 'Fix & replay' }).first()).toBeVisible();
});
