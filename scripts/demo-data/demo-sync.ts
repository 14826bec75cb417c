import { prisma } from '../../lib/db/client';
import { createMapping } from '../../lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '../../lib/schemas/mapping-spec';
import { syncSettingsSchema } from '../../lib/schemas/sync-settings';
import { createSync } from '../../lib/sync/save-sync';
import { customersToContactsSpec } from './demo-mapping-specs';
import { rekeyEarlierDemoMapping } from './rekey-earlier-demo-mapping';
import { seedActor } from './seed-actor';

/**
 * The demo's sync, ready to start: a mapping of the legacy customers (MariaDB) to the new
 * CRM's contacts and a log sync on it (the binlog; scripts/services.sh sets MariaDB up for
 * it), created but not started. A new user opens Syncs, presses Start (the initial load
 * copies the customers, then changes stream), runs `npm run demo:changes` and watches the
 * delay D move.
 */
export const DEMO_SYNC_MAPPING = 'Legacy customers → contacts (sync)';

/** The customers → contacts spec the sync runs (upserts on contacts.legacy_id). */
export const demoSyncMappingSpec = customersToContactsSpec;

export type DemoSyncSeed = { created: boolean; message: string };

/**
 * Creates the demo mapping and its sync when missing, on the demo connections; never changes
 * what exists (a mapping the user edited, a sync they started or reconfigured), except that
 * the mapping of an earlier demo, keyed on contacts.id, is re-keyed on legacy_id
 * (rekeyEarlierDemoMapping). Without the demo's legacy data (docker compose seeds before the
 * data is loaded) it says so and creates nothing: seeding again after `npm run demo:load`
 * adds them.
 */
export async function seedDemoSync(connectionNames: { legacy: string; target: string }): Promise<DemoSyncSeed> {
  const [legacy, target] = await Promise.all([
    prisma().connection.findUnique({ where: { name: connectionNames.legacy }, select: { id: true } }),
    prisma().connection.findUnique({ where: { name: connectionNames.target }, select: { id: true } }),
  ]);
  if (!legacy || !target) return { created: false, message: 'Demo sync not created: the demo connections are missing.' };
  const actor = await seedActor();
  if (!actor) return { created: false, message: 'Demo sync not created: there is no enabled admin to create it.' };

  const rekeyed = await rekeyEarlierDemoMapping(actor, DEMO_SYNC_MAPPING).catch(() => false);
  let mapping = await prisma().mapping.findUnique({ where: { name: DEMO_SYNC_MAPPING }, select: { id: true, sync: { select: { id: true } } } });
  if (mapping?.sync) {
    const note = rekeyed ? ' Its mapping now upserts contacts on legacy_id (a new version): start the sync again to use it.' : '';
    return { created: false, message: `Demo sync on "${DEMO_SYNC_MAPPING}" exists already.${note}` };
  }
  try {
    if (!mapping) {
      const created = await createMapping(actor, { name: DEMO_SYNC_MAPPING, sourceConnectionId: legacy.id, targetConnectionId: target.id, spec: mappingSpecSchema.parse(demoSyncMappingSpec) });
      mapping = { id: created.id, sync: null };
    }
    await createSync(actor, { mappingId: mapping.id, settings: syncSettingsSchema.parse({ mode: 'log', deletePolicy: 'apply', initialLoad: 'full' }) });
  } catch (error) {
    return { created: false, message: `Demo sync not created: ${(error as Error).message}. Load the demo data (npm run demo:load) and seed again.` };
  }
  return { created: true, message: `Demo sync created on "${DEMO_SYNC_MAPPING}" (binlog, not started): start it on the Syncs page, then run npm run demo:changes.` };
}
