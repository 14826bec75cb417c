/**
 * Integration tests run against the local services with the same settings as
 * `npm test`, and refuse any database that is not on this machine.
 */
const defaults: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: 'ferry_test',
  FERRY_SECRET_KEY: 'dGVzdC1vbmx5LWtleS1mb3ItZmVycnktdGVzdHMhISE=',
  SESSION_SECRET: 'test-only-session-secret-for-ferry-tests-0123456789',
  FERRY_FILE_STORAGE: '/tmp/ferry-files-ferry_test',
};
for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;

const host = new URL(process.env.DATABASE_URL as string).hostname;
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  throw new Error(`Integration tests only run against a local database, not ${host}`);
}

export const PG_URL = (database: string) => `postgresql://postgres@127.0.0.1:5432/${database}`;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
