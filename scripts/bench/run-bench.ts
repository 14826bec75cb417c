import { disconnectPrisma } from '@/lib/db/client';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { log } from './bench-env';

/**
 * A benchmark's entry point: a crash is logged and fails the process, and the queue,
 * Redis and Prisma connections close either way. A pool a library leaves open (a MariaDB
 * socket, seen after --profile-only) must not keep a finished benchmark waiting.
 */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    log(`crashed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  } finally {
    await closeQueue().catch(() => undefined);
    await closeProducerRedis();
    await disconnectPrisma().catch(() => undefined);
    setTimeout(() => process.exit(), 2000).unref();
  }
}
