/** One changed field of an audit entry: absent on a side is `undefined` (added or removed). */
export interface AuditChange {
  /** `name`, `spec.fields[2].transforms`, `options.errorPolicy.action` */
  path: string;
  before?: unknown;
  after?: unknown;
}

const MAX_CHANGES = 200;
const MAX_DEPTH = 32;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLeafArray = (value: unknown[]) => value.every((item) => item === null || typeof item !== 'object');
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
const child = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * The fields that differ between an entry's before and after, as paths to the smallest
 * changed parts: objects are compared field by field, arrays of objects item by item
 * (`fields[2].target`), arrays of plain values whole (`key: ["id"] → ["id","region"]`).
 * A creation lists every field as added, a deletion as removed. At most 200 changes; `more`
 * counts the rest.
 */
export function auditChanges(before: unknown, after: unknown): { changes: AuditChange[]; more: number } {
  const changes: AuditChange[] = [];
  let more = 0;
  const add = (change: AuditChange) => {
    if (changes.length < MAX_CHANGES) changes.push(change);
    else more += 1;
  };
  const walk = (a: unknown, b: unknown, path: string, depth: number) => {
    if (same(a, b)) return;
    if (depth < MAX_DEPTH && (isPlainObject(a) || a == null) && (isPlainObject(b) || b == null) && (a != null || b != null)) {
      const left = (a ?? {}) as Record<string, unknown>;
      const right = (b ?? {}) as Record<string, unknown>;
      const keys = [...Object.keys(left), ...Object.keys(right).filter((k) => !(k in left))];
      // A value that appears or goes entirely, at the top (a creation or deletion) or deeper.
      if (a == null && path) return add({ path, before: a ?? undefined, after: b });
      if (b == null && path) return add({ path, before: a, after: b ?? undefined });
      for (const key of keys) walk(left[key], right[key], child(path, key), depth + 1);
      return;
    }
    if (depth < MAX_DEPTH && Array.isArray(a) && Array.isArray(b) && !(isLeafArray(a) && isLeafArray(b))) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, depth + 1);
      return;
    }
    add({ path: path || '(value)', before: a ?? undefined, after: b ?? undefined });
  };
  walk(before, after, '', 0);
  return { changes, more };
}
