import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { producerRedis } from '../queue/redis';
import { addressLimitKey } from './client-address';
import { env } from '../env';

/**
 * Redis key prefix of the sign-in limiters: under the installation's QUEUE_PREFIX, so two
 * installations (or a test run and a demo) sharing one Redis never share a budget.
 */
export const loginLimitPrefix = (): string => `${env().QUEUE_PREFIX}:login`;

/**
 * Failed-login throttling shared by every web process (kept in Redis): 10 attempts per
 * email+address, 50 per address and 20 per account whatever the address, per 15 minutes.
 * The address is the one Ferry's web server took from the socket (or the operator's
 * trusted proxies), never a client's X-Forwarded-For claim; IPv6 counts per /64. The
 * per-account limit holds even for clients spread over many real addresses.
 *
 * Every attempt is counted before its password is checked, so parallel attempts cannot
 * all slip through one remaining point and a refused attempt costs no hashing. A
 * successful sign-in gives its point back to the address: colleagues behind one NAT
 * signing in all morning are not locked out by each other.
 */
let limiters: { byEmailAndIp: RateLimiterRedis; byIp: RateLimiterRedis; byEmail: RateLimiterRedis } | undefined;

function getLimiters() {
  limiters ??= {
    byEmailAndIp: new RateLimiterRedis({
      storeClient: producerRedis(),
      keyPrefix: `${loginLimitPrefix()}:email-ip`,
      points: 10,
      duration: 15 * 60,
      useRedisPackage: false,
    }),
    byIp: new RateLimiterRedis({ storeClient: producerRedis(), keyPrefix: `${loginLimitPrefix()}:ip`, points: 50, duration: 15 * 60 }),
    byEmail: new RateLimiterRedis({ storeClient: producerRedis(), keyPrefix: `${loginLimitPrefix()}:email`, points: 20, duration: 15 * 60 }),
  };
  return limiters;
}

export async function consumeLoginAttempt(email: string, address: string): Promise<void> {
  const { byEmailAndIp, byIp, byEmail } = getLimiters();
  const ip = addressLimitKey(address);
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

/** After a successful sign-in: the account's failures are forgotten and the address gets its point back. */
export async function clearLoginAttempts(email: string, address: string): Promise<void> {
  const { byEmailAndIp, byIp, byEmail } = getLimiters();
  const ip = addressLimitKey(address);
  await Promise.all([byEmailAndIp.delete(`${email}|${ip}`), byEmail.delete(email), byIp.reward(ip, 1)]);
}
