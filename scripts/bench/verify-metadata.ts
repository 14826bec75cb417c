import type { Actor } from '@/lib/auth/roles';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { resetBenchMetadata } from './bench-metadata';
import { FIELD_PAIRS } from './verify-data';
import { VERIFY_BENCH } from './verify-env';

export type VerifySource = 'postgres' | 'mariadb';

/**
 * A fresh metadata database (dropped and migrated, so every run starts without jobs or
 * reports), the benchmark's queue emptied in Redis, an admin, and one mapping per source:
 * customers → contacts with plain copies and one cast (vip 0/1 → boolean), so the
 * in-database fast path applies.
 */
export async function prepareVerifyMetadata(sources: VerifySource[]): Promise<{ actor: Actor; mappings: Record<VerifySource, string> }> {
  const { actor, connection } = await resetBenchMetadata(VERIFY_BENCH.metadataDatabase, VERIFY_BENCH.metadataUrl, VERIFY_BENCH.queuePrefix);
  const target = await connection('verify bench target (PostgreSQL)', 'postgres', VERIFY_BENCH.target);
  const mappings = {} as Record<VerifySource, string>;
  for (const source of sources) {
    const from = source === 'postgres'
      ? await connection('verify bench source (PostgreSQL)', 'postgres', VERIFY_BENCH.source)
      : await connection('verify bench source (MariaDB)', 'mysql', VERIFY_BENCH.sourceMaria);
    const mapping = await createMapping(actor, {
      name: `verify bench customers → contacts (${source})`,
      sourceConnectionId: from.id,
      targetConnectionId: target.id,
      spec: mappingSpecSchema.parse({
        source: { table: 'customers', key: ['cust_id'] },
        target: { table: 'contacts', key: ['id'] },
        fields: FIELD_PAIRS.map(({ target: t, source: s }) => (t === 'vip' ? { target: t, sources: [s], transforms: [{ op: 'cast', to: 'boolean' }] } : { target: t, sources: [s] })),
      }),
    });
    mappings[source] = mapping.id;
  }
  return { actor, mappings };
}
