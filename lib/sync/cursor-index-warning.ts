import type { Connector } from '../connectors/connector';

/**
 * What the sync page should say about the source's indexes for a cursor sync, or null when
 * they serve it (or the system cannot tell). Each run reads rows past (cursor, key…) in that
 * order: an index on (cursor, key…) reads each batch as one index range. One on the cursor
 * alone finds the range but sorts what it holds by key for every batch; without one, every
 * batch scans the whole table. Neither stops a sync: it is slow, not wrong.
 */
export async function cursorIndexWarning(connector: Connector, table: string, cursorColumn: string, key: string[]): Promise<string | null> {
  if (!connector.orderedIndexes) return null;
  const indexes = await connector.orderedIndexes(table);
  const wanted = [cursorColumn, ...key];
  const list = wanted.join(', ');
  if (indexes.some((index) => wanted.every((column, i) => index.columns[i] === column))) return null;
  const leading = indexes.find((index) => index.columns[0] === cursorColumn);
  if (leading) {
    return `The index ${leading.name} starts with ${cursorColumn} but does not continue with the key: each batch sorts the rows it finds. An index on (${list}) reads them in order.`;
  }
  return `No index of ${table} starts with ${cursorColumn}: every batch of every run scans the whole table. Create an index on (${list}).`;
}
