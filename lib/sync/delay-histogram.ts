/**
 * The sync delay D of every applied change, kept as counts per bucket so batches can be
 * merged (an hour's p50/p95 over millions of changes is a sum of small arrays). Bucket i
 * holds delays up to BOUNDS[i] ms: 10 ms steps to 100 ms, then about 20 % apart, the last
 * bucket open-ended. A percentile is the upper bound of its bucket: never better than true.
 */
export const DELAY_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let ms = 10; ms <= 100; ms += 10) bounds.push(ms);
  let next = 100;
  while (next < 3_600_000) {
    next = Math.ceil((next * 1.2) / 10) * 10;
    bounds.push(next);
  }
  return bounds;
})();

const BUCKETS = DELAY_BOUNDS_MS.length + 1;

export function bucketOf(delayMs: number): number {
  const d = Math.max(0, delayMs);
  let lo = 0;
  let hi = DELAY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d <= DELAY_BOUNDS_MS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export const emptyHistogram = (): number[] => new Array<number>(BUCKETS).fill(0);

/** Adds histograms of any length (older rows may have had fewer buckets). */
export function mergeHistograms(histograms: readonly (readonly number[])[]): number[] {
  const total = emptyHistogram();
  for (const h of histograms) for (let i = 0; i < Math.min(h.length, BUCKETS); i++) total[i] += h[i];
  return total;
}

/** The delay (ms, a bucket's upper bound) below which a share `q` (0..1) of the changes fall; null without changes. */
export function percentile(histogram: readonly number[], q: number): number | null {
  const count = histogram.reduce((a, b) => a + b, 0);
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return i < DELAY_BOUNDS_MS.length ? DELAY_BOUNDS_MS[i] : DELAY_BOUNDS_MS[DELAY_BOUNDS_MS.length - 1];
  }
  return null;
}
