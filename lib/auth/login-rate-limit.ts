import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { producerRedis } from '../queue/redis';

/**
 * Failed-login throttling shared by every web process (kept in Redis): 10 attempts per
 * email+address, 50 per address and 20 per account whatever the address, per 15 minutes.
 * The per-account limit holds when the claimed address is forged or rotated
 * (X-Forwarded-For is whatever the client says unless a proxy sets it).
 */
let limiters: { byEmailAndIp: RateLimiterRedis; byIp: RateLimiterRedis; byEmail: RateLimiterRedis } | undefined;

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
    byEmail: new RateLimiterRedis({ storeClient: producerRedis(), keyPrefix: 'ferry:login:email', points: 20, duration: 15 * 60 }),
  };
  return limiters;
}

export async function consumeLoginAttempt(email: string, ip: string): Promise<void> {
  const { byEmailAndIp, byIp, byEmail } = getLimiters();
  try {
    await Promise.all([byEmailAndIp.consume(`${email}|${ip}`), byIp.consume(ip), byEmail.consume(email)]);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const minutes = Math.max(1, Math.ceil(rejection.msBeforeNext / 60000));
      throw new AppError('rate_limited', `Too many sign-in attempts. Try again in ${minutes} minute(s).`);
    }
    throw rejection;
  }
}

export async function clearLoginAttempts(email: string, ip: string): Promise<void> {
  const { byEmailAndIp, byEmail } = getLimiters();
  await Promise.all([byEmailAndIp.delete(`${email}|${ip}`), byEmail.delete(email)]);
}
