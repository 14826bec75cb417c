import { redirect } from 'next/navigation';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { can } from '@/lib/auth/roles';
import { AuditLog } from '@/components/audit/audit-log';

export default async function AuditPage() {
  const actor = await requireActorOrRedirect();
  if (!can(actor.role, 'audit:read')) redirect('/connections');
  return <AuditLog />;
}
