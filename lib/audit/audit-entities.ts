import { prisma } from '../db/client';

/** What an audit entry is about, with where to look at it now (null when it is gone or has no page). */
export interface AuditEntityView {
  kind: string;
  id: string | null;
  label: string;
  href: string | null;
  /** `gone`: deleted or erased since; the label then comes from the entry itself. */
  state: 'exists' | 'archived' | 'gone';
}

interface EntryRef {
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

const shortId = (id: string) => (id.length > 8 ? id.slice(0, 8) : id);
const field = (value: unknown, name: string): string | null => {
  const found = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
  return typeof found === 'string' && found ? found : null;
};
/** A name the entry recorded (a deleted connection's or an erased mapping's), for entities that are gone. */
const recordedName = (entry: EntryRef) => field(entry.after, 'name') ?? field(entry.before, 'name') ?? field(entry.after, 'email') ?? field(entry.before, 'email');

/**
 * Labels and links for the entities of a page of entries, looked up in one query per kind:
 * connection and mapping pages by id, jobs by id, users on the users page, an error row on
 * its job's page, a plan on its page.
 */
export async function describeAuditEntities(entries: EntryRef[]): Promise<AuditEntityView[]> {
  const idsOf = (kind: string) => [...new Set(entries.filter((e) => e.entityType === kind && e.entityId).map((e) => e.entityId!))];
  const errorRowIds = idsOf('error_row').filter((id) => /^\d{1,10}$/.test(id) && Number(id) <= 2_147_483_647).map(Number);
  const [connections, mappings, jobs, users, errorRows, syncs, plans] = await Promise.all([
    prisma().connection.findMany({ where: { id: { in: idsOf('connection') } }, select: { id: true, name: true } }),
    prisma().mapping.findMany({ where: { id: { in: idsOf('mapping') } }, select: { id: true, name: true, archivedAt: true } }),
    prisma().job.findMany({ where: { id: { in: idsOf('job') } }, select: { id: true, kind: true, mapping: { select: { name: true } } } }),
    prisma().user.findMany({ where: { id: { in: idsOf('user') } }, select: { id: true, email: true } }),
    prisma().errorRow.findMany({ where: { id: { in: errorRowIds } }, select: { id: true, jobId: true, sourceKeyText: true } }),
    prisma().sync.findMany({ where: { id: { in: idsOf('sync') } }, select: { id: true, mapping: { select: { name: true } } } }),
    prisma().plan.findMany({ where: { id: { in: idsOf('plan') } }, select: { id: true, name: true } }),
  ]);
  const byId = <T extends { id: string | number }>(rows: T[]) => new Map(rows.map((r) => [String(r.id), r]));
  const found = { connection: byId(connections), mapping: byId(mappings), job: byId(jobs), user: byId(users), error_row: byId(errorRows), sync: byId(syncs), plan: byId(plans) };

  return entries.map((entry): AuditEntityView => {
    const { entityType: kind, entityId: id } = entry;
    const gone = (label: string): AuditEntityView => ({ kind, id, label: recordedName(entry) ?? label, href: null, state: 'gone' });
    if (!id) return { kind, id, label: kind.replace(/_/g, ' '), href: null, state: 'exists' };
    switch (kind) {
      case 'connection': {
        const row = found.connection.get(id);
        return row ? { kind, id, label: row.name, href: `/connections/${id}`, state: 'exists' } : gone(`connection ${shortId(id)}`);
      }
      case 'mapping': {
        const row = found.mapping.get(id);
        return row ? { kind, id, label: row.name, href: `/mappings/${id}`, state: row.archivedAt ? 'archived' : 'exists' } : gone(`mapping ${shortId(id)}`);
      }
      case 'job': {
        const row = found.job.get(id);
        return row ? { kind, id, label: `${row.kind} ${shortId(id)} of ${row.mapping.name}`, href: `/jobs/${id}`, state: 'exists' } : gone(`job ${shortId(id)}`);
      }
      case 'user': {
        const row = found.user.get(id);
        return row ? { kind, id, label: row.email, href: '/users', state: 'exists' } : gone(`user ${shortId(id)}`);
      }
      case 'error_row': {
        const row = found.error_row.get(id);
        return row ? { kind, id, label: `error row ${row.sourceKeyText} of job ${shortId(row.jobId)}`, href: `/jobs/${row.jobId}`, state: 'exists' } : gone(`error row ${id}`);
      }
      case 'sync': {
        const row = found.sync.get(id);
        return row ? { kind, id, label: `sync of ${row.mapping.name}`, href: `/syncs/${id}`, state: 'exists' } : gone(`sync ${shortId(id)}`);
      }
      case 'plan': {
        const row = found.plan.get(id);
        return row ? { kind, id, label: row.name, href: `/plans/${id}`, state: 'exists' } : gone(`plan ${shortId(id)}`);
      }
      default:
        return { kind, id, label: `${kind.replace(/_/g, ' ')} ${shortId(id)}`, href: null, state: 'exists' };
    }
  });
}
