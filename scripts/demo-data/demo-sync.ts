import type { Actor } from '../../lib/auth/roles';
import { prisma } from '../../lib/db/client';
import { createMapping } from '../../lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '../../lib/schemas/mapping-spec';
import { syncSettingsSchema } from '../../lib/schemas/sync-settings';
import { createSync } from '../../lib/sync/save-sync';

/**
 * The demo's sync, ready to start: a mapping of the legacy customers (MariaDB) to the new
 * CRM's contacts and a log sync on it (the binlog; scripts/services.sh sets MariaDB up for
 * it), created but not started. A new user opens Syncs, presses Start (the initial load
 * copies the customers, then changes stream), runs `npm run demo:changes` and watches the
 * delay D move.
 */
export const DEMO_SYNC_MAPPING = 'Legacy customers → contacts (sync)';

const trim = { op: 'trim' } as const;
const nullIfEmpty = { op: 'null_if_empty' } as const;

export const demoSyncMappingSpec = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: 'contacts', key: ['id'] },
  writeMode: 'upsert',
  fields: [
    { target: 'id', sources: ['cust_id'] },
    { target: 'email', sources: ['email_addr'], transforms: [trim, { op: 'lower' }, { op: 'email' }] },
    { target: 'full_name', sources: ['first_nm', 'last_nm'], transforms: [trim, { op: 'concat', separator: ' ' }] },
    { target: 'first_name', sources: ['first_nm'], transforms: [trim, nullIfEmpty] },
    { target: 'last_name', sources: ['last_nm'], transforms: [trim, nullIfEmpty] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive', P: 'prospect' }, caseInsensitive: true, trim: true }] },
    { target: 'company', sources: ['company'], transforms: [trim, nullIfEmpty] },
    { target: 'country', sources: ['country'], transforms: [{ op: 'upper' }] },
    { target: 'created_at', sources: ['created_dt'], transforms: [trim, { op: 'parse_date', formats: ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM-DD-YYYY HH:mm'], timeZone: 'UTC', output: 'timestamptz' }] },
  ],
};

export type DemoSyncSeed = { created: boolean; message: string };

/** The demo admin, or else the first enabled admin: the mapping and sync are created in their name. */
async function seedActor(): Promise<Actor | null> {
  const users = await prisma().user.findMany({ where: { role: 'admin', disabledAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true, email: true, name: true, role: true } });
  return users.find((u) => u.email === 'admin@ferry.local') ?? users[0] ?? null;
}

/**
 * Creates the demo mapping and its sync when missing, on the demo connections; never changes
 * what exists (a mapping the user edited, a sync they started or reconfigured). Without the
 * demo's legacy data (docker compose seeds before the data is loaded) it says so and creates
 * nothing: seeding again after `npm run demo:load` adds them.
 */
export async function seedDemoSync(connectionNames: { legacy: string; target: string }): Promise<DemoSyncSeed> {
  const [legacy, target] = await Promise.all([
    prisma().connection.findUnique({ where: { name: connectionNames.legacy }, select: { id: true } }),
    prisma().connection.findUnique({ where: { name: connectionNames.target }, select: { id: true } }),
  ]);
  if (!legacy || !target) return { created: false, message: 'Demo sync not created: the demo connections are missing.' };
  const actor = await seedActor();
  if (!actor) return { created: false, message: 'Demo sync not created: there is no enabled admin to create it.' };

  let mapping = await prisma().mapping.findUnique({ where: { name: DEMO_SYNC_MAPPING }, select: { id: true, sync: { select: { id: true } } } });
  if (mapping?.sync) return { created: false, message: `Demo sync on "${DEMO_SYNC_MAPPING}" exists already.` };
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
