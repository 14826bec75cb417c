import { z } from 'zod';
import { route } from '@/app/_server/route';
import { listAudit } from '@/lib/audit/list-audit';
import { MAX_DB_INTEGER, tooLarge } from '@/lib/schemas/db-integer';

const query = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(64).optional(),
  cursor: z.coerce.number().int().positive().max(MAX_DB_INTEGER, tooLarge).optional(),
  take: z.coerce.number().int().min(1).max(500).optional(),
});

export const GET = route({ permission: 'audit:read', query }, async ({ query }) => ({ entries: await listAudit(query) }));
