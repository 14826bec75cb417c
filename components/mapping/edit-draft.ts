import type { ColumnInfo } from '@/lib/connectors/connector';
import type { FieldReference } from '@/lib/schemas/mapping-spec';
import { uid, type DraftField, type MappingDraft } from './mapping-draft';

// Immutable edits of a draft, for use inside a DraftUpdate.

/** Keeps fields in the target table's column order so positions stay predictable. */
export function upsertField(draft: MappingDraft, targetColumns: readonly ColumnInfo[], target: string, change: (field: DraftField) => DraftField): MappingDraft {
  const existing = draft.fields.find((field) => field.target === target);
  if (existing) {
    return { ...draft, fields: draft.fields.map((field) => (field === existing ? change(field) : field)) };
  }
  const created = change({ id: uid(), target, sources: [], transforms: [] });
  const order = (name: string) => {
    const index = targetColumns.findIndex((column) => column.name === name);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const fields = [...draft.fields];
  const at = fields.findIndex((field) => order(field.target) > order(target));
  fields.splice(at < 0 ? fields.length : at, 0, created);
  return { ...draft, fields };
}

export function removeField(draft: MappingDraft, target: string): MappingDraft {
  return { ...draft, fields: draft.fields.filter((field) => field.target !== target) };
}

/** Sets the field's first source; clears the field when nothing is left in it. */
export function setPrimarySource(draft: MappingDraft, targetColumns: readonly ColumnInfo[], target: string, source: string): MappingDraft {
  if (source === '') {
    const field = draft.fields.find((f) => f.target === target);
    if (!field) return draft;
    const rest = field.sources.slice(1);
    if (rest.length === 0 && field.transforms.length === 0) return removeField(draft, target);
    return upsertField(draft, targetColumns, target, (f) => ({ ...f, sources: rest }));
  }
  return upsertField(draft, targetColumns, target, (field) => ({
    ...field,
    sources: [source, ...field.sources.slice(1).filter((s) => s !== source)],
  }));
}

/**
 * Makes a field a reference to another mapping's records (or a plain field again, with
 * null). A reference takes its source columns as they are, so its transforms go.
 */
export function setReference(draft: MappingDraft, targetColumns: readonly ColumnInfo[], target: string, reference: FieldReference | null): MappingDraft {
  return upsertField(draft, targetColumns, target, (field) => {
    if (reference === null) {
      const { reference: _dropped, ...plain } = field;
      return plain;
    }
    return { ...field, transforms: [], reference };
  });
}

/** Moves one item (e.g. a transform in its chain); a move past either end changes nothing. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}
