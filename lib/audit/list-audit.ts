import { prisma, type Prisma } from '../db/client';
import { auditChanges, type AuditChange } from './audit-changes';
import { describeAuditEntities, type AuditEntityView } from './audit-entities';
import { AUDIT_PAGE_SIZE, auditCursorText, type AuditQuery } from './audit-query';
import { redactSecrets } from './redact-secrets';

export interface AuditEntryView {
  id: number;
  at: Date;
  actorId: string | null;
  actorEmail: string;
  action: string;
  entity: AuditEntityView;
  /** The fields that changed, secrets redacted (also in entries written before redaction covered them). */
  changes: AuditChange[];
  /** Changed fields past the ones listed. */
  moreChanges: number;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Cursors for the next older and newer pages (null: none). */
  older: string | null;
  newer: string | null;
}

/** Entries strictly older (`dir` -1) or newer (+1) than a cursor, in (at, id) order; the `at` bound lets the (at) and (actor_id, at) indexes serve it. */
function beyond(cursor: { at: Date; id: number }, dir: -1 | 1): Prisma.AuditEntryWhereInput {
  return dir < 0
    ? { AND: [{ at: { lte: cursor.at } }, { OR: [{ at: { lt: cursor.at } }, { id: { lt: cursor.id } }] }] }
    : { AND: [{ at: { gte: cursor.at } }, { OR: [{ at: { gt: cursor.at } }, { id: { gt: cursor.id } }] }] };
}

/**
 * One page (50) of the audit log, newest first, filtered by user, entity and date range,
 * paged by keyset on (at, id): `before` an entry for older ones, `after` for newer ones.
 * Each entry says who did what to which entity (with a link) and which fields changed.
 */
export async function listAudit(query: AuditQuery): Promise<AuditPage> {
  const filter: Prisma.AuditEntryWhereInput = {
    actorId: query.actorId,
    entityType: query.entityType,
    entityId: query.entityId,
    at: query.from || query.to ? { gte: query.from, lt: query.to } : undefined,
  };
  const select = { id: true, at: true, actorId: true, actorEmail: true, action: true, entityType: true, entityId: true, before: true, after: true } as const;
  const newerFirst = !query.after;
  const rows = await prisma().auditEntry.findMany({
    where: { AND: [filter, query.before ? beyond(query.before, -1) : query.after ? beyond(query.after, 1) : {}] },
    orderBy: newerFirst ? [{ at: 'desc' }, { id: 'desc' }] : [{ at: 'asc' }, { id: 'asc' }],
    take: AUDIT_PAGE_SIZE + 1,
    select,
  });
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  if (!newerFirst) page.reverse();
  const exists = async (where: Prisma.AuditEntryWhereInput) => !!(await prisma().auditEntry.findFirst({ where: { AND: [filter, where] }, select: { id: true } }));
  const first = page[0];
  const last = page[page.length - 1];
  const hasOlder = newerFirst ? hasMore : !!last && (await exists(beyond(last, -1)));
  const hasNewer = newerFirst ? !!first && !!query.before && (await exists(beyond(first, 1))) : hasMore;

  const entities = await describeAuditEntities(page);
  return {
    entries: page.map((row, i) => {
      // Redacted again on the way out: entries written before a field counted as secret stay covered.
      const { changes, more } = auditChanges(redactSecrets(row.before), redactSecrets(row.after));
      return { id: row.id, at: row.at, actorId: row.actorId, actorEmail: row.actorEmail, action: row.action, entity: entities[i], changes, moreChanges: more };
    }),
    older: hasOlder && last ? auditCursorText(last) : null,
    newer: hasNewer && first ? auditCursorText(first) : null,
  };
}

/** The users the log can be filtered by (any user; audit readers only). */
export async function listAuditActors() {
  return prisma().user.findMany({ orderBy: { email: 'asc' }, select: { id: true, email: true, name: true } });
}
