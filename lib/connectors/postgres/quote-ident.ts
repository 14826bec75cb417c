import { assertIdentifier } from '../sql/identifiers';

/** PostgreSQL: wrap in double quotes, double embedded quotes (`a"b` → `"a""b"`). */
export function quotePgIdent(name: string): string {
  assertIdentifier(name);
  return `"${name.replace(/"/g, '""')}"`;
}
