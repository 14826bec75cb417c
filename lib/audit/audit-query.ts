import { z } from 'zod';

export const AUDIT_PAGE_SIZE = 50;

/** The kinds of entity Ferry audits, for the filter's choices (the filter accepts any well-formed kind). */
export const auditEntityKinds = ['connection', 'mapping', 'job', 'error_row', 'user', 'sync', 'plan'] as const;

const DAY_MS = 86_400_000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (UTC) or an instant with its offset; both as text, so a bad one is a 422 naming the field. */
const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD) or a date and time with its offset (2026-12-03T10:00:00Z)',
});

/** Where a page starts: the (at, id) of the entry next to it, as `2026-12-03T10:04:05.123Z_1234`. */
export interface AuditCursor {
  at: Date;
  id: number;
}
const cursor = z
  .string()
  .max(64)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z_\d{1,10}$/, 'must be a page cursor from an earlier answer')
  .transform((text, ctx): AuditCursor => {
    const [at, id] = text.split('_');
    const parsed = { at: new Date(at), id: Number(id) };
    if (Number.isNaN(parsed.at.getTime()) || parsed.id > 2_147_483_647) {
      ctx.addIssue({ code: 'custom', message: 'must be a page cursor from an earlier answer' });
      return z.NEVER;
    }
    return parsed;
  });
export const auditCursorText = (entry: { at: Date; id: number }) => `${entry.at.toISOString()}_${entry.id}`;

/**
 * GET /api/audit's query: filters by user, entity kind (and id) and date range, and a page
 * `before` (older) or `after` (newer) an entry. `to` as a date includes that whole day.
 */
export const auditQuerySchema = z
  .object({
    actorId: z.uuid('must be a user id').optional(),
    entityType: z
      .string()
      .max(40)
      .regex(/^[a-z][a-z_]*$/, 'must be an entity kind such as mapping or connection')
      .optional(),
    entityId: z.string().max(64).optional(),
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    before: cursor.optional(),
    after: cursor.optional(),
  })
  .transform((query, ctx) => {
    const from = query.from === undefined ? undefined : new Date(query.from);
    // A date `to` means "through that day": up to the next midnight (UTC).
    const to = query.to === undefined ? undefined : new Date(new Date(query.to).getTime() + (dateOnly.test(query.to) ? DAY_MS : 1));
    if (from && to && from.getTime() >= to.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (query.before && query.after) ctx.addIssue({ code: 'custom', path: ['after'], message: 'cannot be combined with before' });
    return { ...query, from, to };
  });
export type AuditQuery = z.output<typeof auditQuerySchema>;
