/**
 * Reads the next item while the caller works on the current one, so the source read of
 * batch n+1 overlaps the transform and write of batch n. At most one item is held ahead.
 */
export async function* prefetchOne<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const result = await pending;
      if (result.done) return;
      pending = iterator.next();
      // If the caller stops early, the read already under way must not become an unhandled rejection.
      pending.catch(() => undefined);
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
