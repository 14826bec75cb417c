import { prisma, type Prisma } from '../db/client';
import type { Actor } from '../auth/roles';
import { redactSecrets } from './redact-secrets';

/** One audit entry; `before` and `after` are configuration snapshots, stored without their secrets (redact-secrets.ts). */
export async function recordAudit(
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string | null,
  before: unknown,
  after: unknown,
): Promise<void> {
  const json = (v: unknown) => (v == null ? undefined : (JSON.parse(JSON.stringify(redactSecrets(v))) as Prisma.InputJsonValue));
  await prisma().auditEntry.create({
    data: { actorId: actor.id, actorEmail: actor.email, action, entityType, entityId, before: json(before), after: json(after) },
  });
}
