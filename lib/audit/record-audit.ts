import { prisma, type Prisma } from '../db/client';
import type { Actor } from '../auth/roles';

// Flags such as `hasPassword` or `passwordChanged` say nothing secret and stay.
const SECRET_FIELDS = /^(?!has).*(password|passwd|secret|token|apikey|privatekey)$/i;

/** Removes anything secret-looking, so configuration snapshots can never leak credentials. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.test(k) ? (v == null ? v : '[redacted]') : redactSecrets(v)]),
    );
  }
  return value;
}

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
