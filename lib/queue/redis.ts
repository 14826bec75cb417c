import { Redis } from 'ioredis';
import { env } from '../env';

/**
 * Two kinds of Redis connection, as BullMQ recommends: producers (web requests) fail
 * fast instead of hanging a request; workers wait out a Redis restart forever.
 */
const globalForRedis = globalThis as unknown as { ferryProducerRedis?: Redis };

export function producerRedis(): Redis {
  globalForRedis.ferryProducerRedis ??= new Redis(env().REDIS_URL, {
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
  }).on('error', (error) => console.error('[redis] producer connection error:', error.message));
  return globalForRedis.ferryProducerRedis;
}

export function workerRedis(): Redis {
  return new Redis(env().REDIS_URL, { maxRetriesPerRequest: null }).on('error', (error) =>
    console.error('[redis] worker connection error:', error.message),
  );
}

export async function closeProducerRedis(): Promise<void> {
  await globalForRedis.ferryProducerRedis?.quit().catch(() => undefined);
  globalForRedis.ferryProducerRedis = undefined;
}
