import { z } from 'zod';
import { prisma, type Prisma as PrismaTypes } from '../db/client';
import { Prisma } from '../db/generated/client';
import { notFound } from '../errors';
import type { ErrorFacet } from './error-facets';
import { jobKindOf } from './kinds/job-kinds';

/** Where the next page starts: the last row's sort key and id, as an opaque text. */
interface PageCursor {
  key: string;
  id: number;
}

const encodeCursor = (cursor: PageCursor) => Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');

const cursorText = z
  .string()
  .max(4000)
  .transform((text, ctx): PageCursor => {
    try {
      const [key, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
      if (typeof key === 'string' && Number.isSafeInteger(id)) return { key, id: id as number };
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'is not a page of this list (use nextCursor as returned)' });
    return z.NEVER;
  });

export const errorRowFilterSchema = z.object({
  stage: z.enum(['read', 'transform', 'validate', 'write']).optional(),
  field: z.string().max(128).optional(),
  code: z.string().max(64).optional(),
  /** Substring of the source key, e.g. 42 or ORD-00017. */
  key: z.string().max(200).optional(),
  /** A query-string flag: only "true"/"1" turn it on (z.coerce.boolean would read "false" as true). */
  includeResolved: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .optional(),
  /** By source key (numbers by value: 9 before 10), ascending or descending. */
  sort: z.enum(['key', 'key_desc']).default('key'),
  /** The page after the one that returned this nextCursor. */
  after: cursorText.optional(),
  take: z.coerce.number().int().min(1).max(500).default(100),
});
export type ErrorRowFilter = z.infer<typeof errorRowFilterSchema>;

/** Whose error rows a list shows: a job's own, or (`outcomesOf`, a replay) the parent's rows it tried. */
interface Scope {
  jobId: string;
  outcomesOf: string | null;
}

/**
 * Which error rows a job's page lists. A job that owns error rows lists its own. A job that
 * copies rows without owning any (a replay) works on its parent's, and lists its own
 * outcomes there: the rows it landed and the rows that failed again with its reason.
 * Other jobs (a verification) have none.
 */
async function scopeOf(jobId: string): Promise<Scope> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true, parentJobId: true } });
  if (!job) throw notFound('Job');
  const definition = jobKindOf(job.kind);
  if (definition.ownsErrorRows || !definition.copiesRows || !job.parentJobId) return { jobId, outcomesOf: null };
  return { jobId: job.parentJobId, outcomesOf: jobId };
}

function whereOf(scope: Scope, filter: Omit<Partial<ErrorRowFilter>, 'sort' | 'after' | 'take'>, openOnly = false): Prisma.Sql {
  const parts = [Prisma.sql`job_id = ${scope.jobId}`];
  if (scope.outcomesOf) {
    parts.push(Prisma.sql`(resolved_by_job_id = ${scope.outcomesOf} OR (last_replay_job_id = ${scope.outcomesOf} AND resolved_at IS NULL))`);
  }
  if (filter.stage) parts.push(Prisma.sql`stage = ${filter.stage}::"ErrorStage"`);
  if (filter.field) parts.push(Prisma.sql`field = ${filter.field}`);
  if (filter.code) parts.push(Prisma.sql`code = ${filter.code}`);
  if (filter.key) parts.push(Prisma.sql`strpos(source_key_text, ${filter.key}) > 0`);
  // A replay's outcomes are both kinds of row: the ones it landed are half of them.
  if (openOnly || (!filter.includeResolved && !scope.outcomesOf)) parts.push(Prisma.sql`resolved_at IS NULL`);
  return Prisma.join(parts, ' AND ');
}

/**
 * The order of source keys as people read them: key parts compared in turn, whole numbers
 * by value (as text padded to 30 digits, so 9 sorts before 10 and 103 after 99), other
 * parts as text, byte by byte (COLLATE "C": the same order in every database). The usual
 * one-part keys ([103], ["ORD-0000017"]) are read straight from the key text, which halves
 * the cost of ordering a large list; any other key goes through its JSON parts, to the same
 * result. (Every page orders all the job's matching rows: an index on this expression would
 * make a list of millions cheap.)
 */
const SORT_KEY = Prisma.sql`(CASE
    WHEN source_key_text ~ '^\\[[0-9]{1,30}\\]$' THEN lpad(substr(source_key_text, 2, length(source_key_text) - 2), 30, '0')
    WHEN source_key_text ~ '^\\["[0-9]{1,30}"\\]$' THEN lpad(substr(source_key_text, 3, length(source_key_text) - 4), 30, '0')
    WHEN source_key_text ~ '^\\["[^"\\\\]*"\\]$' THEN substr(source_key_text, 3, length(source_key_text) - 4)
    ELSE (SELECT string_agg(CASE WHEN e.v ~ '^[0-9]{1,30}$' THEN lpad(e.v, 30, '0') ELSE coalesce(e.v, '') END, chr(31) ORDER BY e.n)
            FROM json_array_elements_text(source_key) WITH ORDINALITY AS e(v, n))
  END) COLLATE "C"`;

/** One page of ids in key order, after a cursor: keyset paging, so page 50 costs what page 1 does to read. */
async function pageOfIds(where: Prisma.Sql, sort: ErrorRowFilter['sort'], after: PageCursor | undefined, take: number) {
  const descending = sort === 'key_desc';
  const past = after
    ? descending
      ? Prisma.sql`(sk, id) < (${after.key} COLLATE "C", ${after.id}::int)`
      : Prisma.sql`(sk, id) > (${after.key} COLLATE "C", ${after.id}::int)`
    : Prisma.sql`TRUE`;
  const order = descending ? Prisma.sql`sk DESC, id DESC` : Prisma.sql`sk, id`;
  return prisma().$queryRaw<{ id: number; sk: string }[]>`
    SELECT id, sk FROM (SELECT id, ${SORT_KEY} AS sk FROM error_rows WHERE ${where}) keyed
     WHERE ${past}
     ORDER BY ${order}
     LIMIT ${take}`;
}

const errorRowSelect = {
  id: true,
  sourceKey: true,
  sourceRow: true,
  stage: true,
  field: true,
  code: true,
  message: true,
  createdAt: true,
  resolvedAt: true,
  resolvedByJobId: true,
  editedAt: true,
  editedByEmail: true,
  dismissedAt: true,
  dismissedByEmail: true,
  mappingVersionId: true,
} as const;

type SelectedErrorRow = PrismaTypes.ErrorRowGetPayload<{ select: typeof errorRowSelect }>;

/**
 * The rows of a page, in the page's order, with the number of the mapping version each last
 * failed with (error rows keep only the version's id: see the schema), looked up once per page.
 */
async function loadPage(ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await prisma().errorRow.findMany({ where: { id: { in: ids } }, select: errorRowSelect });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = ids.map((id) => byId.get(id)).filter((r): r is SelectedErrorRow => r !== undefined);
  const versionIds = [...new Set(ordered.map((r) => r.mappingVersionId))];
  const versions = await prisma().mappingVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, version: true } });
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  return ordered.map(({ mappingVersionId, ...r }) => ({ ...r, mappingVersion: numberOf.get(mappingVersionId) ?? null }));
}

/** Counts of the rows still failing by stage × field × code (see error-facets.ts for the triage views). */
async function facetsOf(scope: Scope): Promise<ErrorFacet[]> {
  return prisma().$queryRaw<ErrorFacet[]>`
    SELECT stage::text AS stage, field, code, count(*)::int AS count
      FROM error_rows WHERE ${whereOf(scope, {}, true)}
     GROUP BY 1, 2, 3
     ORDER BY 4 DESC, 1, 2, 3`;
}

/**
 * One page of a job's error rows (see scopeOf for which) in source-key order, with the
 * number of rows the filter matches, the facets of those still failing (counts by stage,
 * field and code: the triage filters) and the cursor of the next page (null on the last).
 */
export async function listErrorRows(jobId: string, filter: ErrorRowFilter) {
  const scope = await scopeOf(jobId);
  const where = whereOf(scope, filter);
  const [page, counted, facets] = await Promise.all([
    pageOfIds(where, filter.sort, filter.after, filter.take + 1),
    prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM error_rows WHERE ${where}`,
    facetsOf(scope),
  ]);
  const shown = page.slice(0, filter.take);
  const last = shown[shown.length - 1];
  return {
    rows: await loadPage(shown.map((r) => r.id)),
    total: counted[0]?.n ?? 0,
    facets,
    nextCursor: page.length > filter.take && last ? encodeCursor({ key: last.sk, id: last.id }) : null,
  };
}

/** All matching error rows in source-key order, a page at a time, for the CSV download (bounded memory). */
export async function* iterateErrorRows(jobId: string, filter: ErrorRowFilter) {
  const where = whereOf(await scopeOf(jobId), filter);
  let after = filter.after;
  for (;;) {
    const page = await pageOfIds(where, filter.sort, after, 1000);
    if (page.length === 0) return;
    yield* await loadPage(page.map((r) => r.id));
    const last = page[page.length - 1];
    after = { key: last.sk, id: last.id };
  }
}

export async function listJobEvents(jobId: string, afterId?: number) {
  return prisma().jobEvent.findMany({
    where: { jobId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: 'desc' },
    take: 200,
    select: { id: true, at: true, level: true, type: true, message: true },
  });
}
