import { route } from '@/app/_server/route';
import { listAuditActors } from '@/lib/audit/list-audit';

/** The users the audit log can be filtered by. */
export const GET = route({ permission: 'audit:read' }, async () => ({ actors: await listAuditActors() }));
