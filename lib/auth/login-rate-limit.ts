import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { producerRedis } from '../queue/redis';

/**
 * Failed-login throttling shared by every web process (kept in Redis):
 * 10 attempts per email+address and 50 per address, per 15 minutes.
 */
let limiters: { byEmailAndIp: RateLimiterRedis; byIp: RateLimiterRedis } | undefined;

function getLimiters() {
  limiters ??= {
    byEmailAndIp: new RateLimiterRedis({
      storeClient: producerRedis(),
      keyPrefix: 'ferry:login:email-ip',
      points: 10,
      duration: 15 * 60,
      useRedisPackage: false,
    }),
    byIp: new RateLimiterRedis({ storeClient: producerRedis(), keyPrefix: 'ferry:login:ip', points: 50, duration: 15 * 60 }),
  };
  return limiters;
}

export async function consumeLoginAttempt(email: string, ip: string): Promise<void> {
  const { byEmailAndIp, byIp } = getLimiters();
  try {
    await Promise.all([byEmailAndIp.consume(`${email}|${ip}`), byIp.consume(ip)]);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const minutes = Math.max(1, Math.ceil(rejection.msBeforeNext / 60000));
      throw new AppError('rate_limited', `Too many sign-in attempts. Try again in ${minutes} minute(s).`);
    }
    throw rejection;
  }
}

export async function clearLoginAttempts(email: string, ip: string): Promise<void> {
  await getLimiters().byEmailAndIp.delete(`${email}|${ip}`);
}
