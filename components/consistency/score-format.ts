import type { BadgeTone } from '@/components/ui/badge';

/**
 * A score as a percentage. Rounded down, so a single difference among many rows never
 * shows as "100 %": only a perfect match does.
 */
export function formatScore(score: number): string {
  if (score >= 1) return '100 %';
  const tenths = Math.floor(score * 1000) / 10;
  return `${tenths.toFixed(1)} %`;
}

export function scoreTone(score: number): BadgeTone {
  if (score >= 1) return 'good';
  if (score >= 0.99) return 'warn';
  return 'bad';
}

/** Hex colours of the same tones, for the SVG chart. */
export function scoreColor(score: number): string {
  return { good: '#059669', warn: '#d97706', bad: '#dc2626', neutral: '#64748b', info: '#4f46e5' }[scoreTone(score)];
}

export const methodLabels: Record<string, string> = {
  hash_ranges: 'hash ranges (in the databases)',
  key_merge: 'key merge (row by row)',
  mixed: 'hash ranges, differing ranges row by row',
};
