import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an Authorization header carries the metrics token (METRICS_TOKEN) as a bearer
 * token; false when no token is configured. Compared as SHA-256 digests in constant
 * time: timingSafeEqual needs equal lengths, and neither the time taken nor an early
 * length mismatch tells a caller how much of a guess was right.
 */
export function metricsTokenMatches(authorization: string | null, token = process.env.METRICS_TOKEN): boolean {
  if (!token || authorization === null) return false;
  return timingSafeEqual(digest(authorization), digest(`Bearer ${token}`));
}
