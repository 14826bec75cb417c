import { assertIdentifier } from '../sql/identifiers';

/** MySQL/MariaDB: wrap in backticks, double embedded backticks (`` a`b `` → `` `a``b` ``). */
export function quoteMysqlIdent(name: string): string {
  assertIdentifier(name);
  return `\`${name.replace(/`/g, '``')}\``;
}
