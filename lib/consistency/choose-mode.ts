import type { TableDetail } from '../connectors/connector';
import type { ConnectorKind } from '../schemas/connection-config';
import type { MappingSpec } from '../schemas/mapping-spec';
import type { VerifyMode } from './verify-context';

/** Key families whose order and equality both databases agree on without collation questions. */
const PORTABLE_KEY_FAMILIES = new Set(['integer']);
/** Families two PostgreSQL databases order alike. */
const POSTGRES_KEY_FAMILIES = new Set(['integer', 'text', 'uuid', 'date', 'timestamp', 'timestamptz', 'decimal']);

/**
 * Aligned when every target key column is a plain copy (or a cast) of the source key
 * column at the same position, with the same type family, and both databases bound key
 * ranges alike: then one key range selects the same records on both sides, so extras can
 * be found per range and the in-database hash fast path may apply. Otherwise (derived or
 * transformed keys, text keys across engines) the general mode records every mapped key.
 */
export function chooseVerifyMode(
  spec: MappingSpec,
  sourceKind: ConnectorKind,
  targetKind: ConnectorKind,
  source: TableDetail,
  target: TableDetail,
): { mode: VerifyMode; reason: string } {
  if (sourceKind === 'csv') return { mode: 'general', reason: 'a CSV file has no in-place hash: its rows are compared' };
  if (spec.source.key.length !== spec.target.key.length) return { mode: 'general', reason: 'the target key has other columns than the source key' };
  const families = sourceKind === 'postgres' && targetKind === 'postgres' ? POSTGRES_KEY_FAMILIES : PORTABLE_KEY_FAMILIES;
  for (const [i, targetKey] of spec.target.key.entries()) {
    const field = spec.fields.find((f) => f.target === targetKey);
    const sourceKey = spec.source.key[i];
    if (!field || field.sources.length !== 1 || field.sources[0] !== sourceKey || field.reference !== undefined) {
      return { mode: 'general', reason: `target key "${targetKey}" is not a copy of source key "${sourceKey}"` };
    }
    if (field.transforms.some((t) => t.op !== 'cast')) return { mode: 'general', reason: `target key "${targetKey}" is transformed` };
    const s = source.columns.find((c) => c.name === sourceKey);
    const t = target.columns.find((c) => c.name === targetKey);
    if (!s || !t || s.family !== t.family || !families.has(t.family)) {
      return { mode: 'general', reason: `key "${targetKey}" (${t?.family ?? '?'}) is not ordered alike by both databases` };
    }
    // Text keys: two PostgreSQL databases order alike only under the same collation.
    if (t.family === 'text' && (s.collation ?? null) !== (t.collation ?? null)) {
      return { mode: 'general', reason: `key "${targetKey}" has collation ${s.collation ?? 'none'} in the source and ${t.collation ?? 'none'} in the target` };
    }
  }
  return { mode: 'aligned', reason: 'the target key is a copy of the source key' };
}
