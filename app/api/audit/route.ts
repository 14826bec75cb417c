import { route } from '@/app/_server/route';
import { listAudit } from '@/lib/audit/list-audit';
import { auditQuerySchema } from '@/lib/audit/audit-query';

export const GET = route({ permission: 'audit:read', query: auditQuerySchema }, async ({ query }) => listAudit(query));
