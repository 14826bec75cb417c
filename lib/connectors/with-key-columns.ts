/**
 * The columns to select: the requested ones, then any key column not already among them.
 * Also the column order of readRangeArrays rows (connector.ts), so every system uses it.
 */
export function withKeyColumns(keyColumns: string[], columns: string[]): string[] {
  const out: string[] = [];
  for (const c of [...columns, ...keyColumns]) if (!out.includes(c)) out.push(c);
  return out;
}
