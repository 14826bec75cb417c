/**
 * Column names from a header row: cells trimmed, a blank (or missing) cell becomes
 * column_<n> (1-based position), and a name seen before gets _2, _3 … so every column can
 * be mapped by name. Names compare case-insensitively, as most target databases do.
 */
export function nameCsvColumns(headerCells: readonly string[], width: number): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < Math.max(width, headerCells.length); i++) {
    const base = (headerCells[i] ?? '').trim().replace(/\s+/g, ' ').slice(0, 240) || `column_${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    taken.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}
