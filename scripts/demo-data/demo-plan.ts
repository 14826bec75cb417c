import type { Actor } from '../../lib/auth/roles';
import { prisma } from '../../lib/db/client';
import { metadataPool } from '../../lib/engine/metadata-pool';
import { createMapping } from '../../lib/saved-mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '../../lib/schemas/mapping-spec';
import { customersToContactsSpec, ordersToDealsSpec, paymentsToPaymentsSpec, ticketsToCasesSpec } from './demo-mapping-specs';
import { seedActor } from './seed-actor';

/**
 * The demo's plan, ready to run: the whole legacy CRM into the new one, parents first.
 * Contacts and deals get ids the new CRM generates; deals, payments and cases take them
 * through the parents' id maps, so a new user sees references remapped and orphans (orders
 * of customers that never existed or failed) reported as error rows linked to their parent.
 */
export const DEMO_PLAN = 'Legacy CRM → new CRM';

/** The plan's mappings by target table, parents before children. */
export const DEMO_PLAN_MAPPINGS = {
  contacts: 'Legacy customers → contacts',
  deals: 'Legacy orders → deals',
  payments: 'Legacy payments → payments',
  cases: 'Legacy tickets → cases',
} as const;

export type DemoPlanSeed = { created: boolean; message: string };

/** Serialises concurrent seeds (two containers starting at once), so each mapping is created once. */
const PLAN_SEED_LOCK = 7211000019;

/**
 * Creates the demo's four mappings and their plan when missing, on the demo connections. A
 * mapping that exists under its name is used as it is (the user may have edited it); an
 * existing plan is left alone. Without the demo's tables (the data is not loaded yet) it says
 * so and creates nothing: seeding again after `npm run demo:load` adds them.
 */
export async function seedDemoPlan(connectionNames: { legacy: string; target: string }): Promise<DemoPlanSeed> {
  const [legacy, target] = await Promise.all([
    prisma().connection.findUnique({ where: { name: connectionNames.legacy }, select: { id: true } }),
    prisma().connection.findUnique({ where: { name: connectionNames.target }, select: { id: true } }),
  ]);
  if (!legacy || !target) return { created: false, message: 'Demo plan not created: the demo connections are missing.' };
  const actor = await seedActor();
  if (!actor) return { created: false, message: 'Demo plan not created: there is no enabled admin to create it.' };

  const lock = await metadataPool().connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [PLAN_SEED_LOCK]);
    if (await prisma().plan.findUnique({ where: { name: DEMO_PLAN }, select: { id: true } })) {
      return { created: false, message: `Demo plan "${DEMO_PLAN}" exists already.` };
    }
    const ensure = (name: string, spec: MappingSpecInput) => ensureMapping(actor, name, legacy.id, target.id, spec);
    const contacts = await ensure(DEMO_PLAN_MAPPINGS.contacts, customersToContactsSpec);
    const deals = await ensure(DEMO_PLAN_MAPPINGS.deals, ordersToDealsSpec(contacts));
    const payments = await ensure(DEMO_PLAN_MAPPINGS.payments, paymentsToPaymentsSpec(deals));
    const cases = await ensure(DEMO_PLAN_MAPPINGS.cases, ticketsToCasesSpec(contacts));
    await prisma().plan.create({
      data: { name: DEMO_PLAN, createdById: actor.id, members: { create: [contacts, deals, payments, cases].map((mappingId) => ({ mappingId })) } },
    });
  } catch (error) {
    return { created: false, message: `Demo plan not created: ${(error as Error).message}. Load the demo data (npm run demo:load) and seed again.` };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [PLAN_SEED_LOCK]).catch(() => undefined);
    lock.release();
  }
  return { created: true, message: `Demo plan "${DEMO_PLAN}" created (4 mappings, not run): run it on the Plans page.` };
}

/** The id of the mapping of that name, created (and validated against the tables) when missing. */
async function ensureMapping(actor: Actor, name: string, sourceConnectionId: string, targetConnectionId: string, spec: MappingSpecInput): Promise<string> {
  const existing = await prisma().mapping.findUnique({ where: { name }, select: { id: true } });
  if (existing) return existing.id;
  return (await createMapping(actor, { name, sourceConnectionId, targetConnectionId, spec: mappingSpecSchema.parse(spec) })).id;
}
