import type { Connector, KeyTuple, TableDetail } from '../connectors/connector';
import type { MappingSpec } from '../schemas/mapping-spec';
import { toKeyValue } from './key-text';
import { recordInIdMap } from './id-map-store';
import { metadataPool } from './metadata-pool';
import { referenceKeyText } from './reference-key-text';

/** A written row's source key and target key (its upsert key). */
export interface WrittenPair {
  sourceKey: KeyTuple;
  targetKey: KeyTuple;
}

export interface IdRecorder {
  /** Records source key → target id for rows that landed; one read-back and one insert per batch. */
  record(pairs: WrittenPair[]): Promise<void>;
}

/**
 * The id map of a mapping that other mappings refer to by id (FieldMapping.reference
 * `id_map`): for every row it writes, source key → the target's primary key. When the
 * primary key is the upsert key, that is the written value; when the target generates it
 * (identity, UUID default) it is read back by the upsert key after the write, in one
 * statement per batch. Recorded before the batch's checkpoint: a crash in between writes
 * the batch again and records it again, and the insert is an upsert, so a re-run or a retry
 * changes nothing. Null when no mapping refers to this one or its target has no one-column
 * primary key (a reference then says so, see plan-graph and resolve-references).
 */
export async function makeIdRecorder(mappingId: string, spec: MappingSpec, target: Connector, targetTable: TableDetail): Promise<IdRecorder | null> {
  if (targetTable.primaryKey.length !== 1) return null;
  if (!(await isReferencedById(mappingId))) return null;
  const primaryKey = targetTable.primaryKey[0];
  const targetKey = spec.target.key;
  const keyIsPrimary = targetKey.length === 1 && targetKey[0] === primaryKey;

  return {
    async record(pairs) {
      if (pairs.length === 0) return;
      let ids: (string | null)[];
      if (keyIsPrimary) {
        ids = pairs.map((p) => idText(p.targetKey[0]));
      } else {
        const rows = await target.readKeys(spec.target.table, targetKey, [primaryKey], pairs.map((p) => p.targetKey));
        // Spelled alike on both sides: a driver may give a BIGINT back as text that was written as a number.
        const byKey = new Map(rows.map((row) => [referenceKeyText(targetKey.map((c) => toKeyValue(row[c]))), idText(row[primaryKey])]));
        ids = pairs.map((p) => byKey.get(referenceKeyText(p.targetKey.map(toKeyValue))) ?? null);
      }
      const keys: string[] = [];
      const values: string[] = [];
      pairs.forEach((pair, i) => {
        const id = ids[i];
        if (id === null) return;
        keys.push(referenceKeyText(pair.sourceKey));
        values.push(id);
      });
      await recordInIdMap(mappingId, keys, values);
    },
  };
}

/** Whether the latest version of any mapping (this one too: a self reference) refers to this mapping through its id map. */
export async function isReferencedById(mappingId: string): Promise<boolean> {
  const { rows } = await metadataPool().query(
    `SELECT 1 FROM mappings m
       JOIN mapping_versions v ON v.mapping_id = m.id AND v.version = m.latest_version
      WHERE m.archived_at IS NULL
        AND v.spec::jsonb @> jsonb_build_object('fields', jsonb_build_array(jsonb_build_object('reference', jsonb_build_object('by', 'id_map', 'mapping', $1::text))))
      LIMIT 1`,
    [mappingId],
  );
  return rows.length > 0;
}

function idText(value: unknown): string | null {
  const key = toKeyValue(value);
  return key === null ? null : String(key);
}
