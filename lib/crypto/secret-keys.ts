import { env } from '../env';

/**
 * The configured secret keys: the current one seals, both open. FERRY_SECRET_KEY_PREVIOUS
 * is set only while a key rotation runs (see scripts/rotate-secret-key.ts).
 */
export function secretKeys(): { current: string; all: string[] } {
  const { FERRY_SECRET_KEY: current, FERRY_SECRET_KEY_PREVIOUS: previous } = env();
  return { current, all: previous && previous !== current ? [current, previous] : [current] };
}
