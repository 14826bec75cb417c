import './support/test-env';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { applyMigrations } from '@/lib/db/apply-migrations';
import { freshPgDatabase } from './support/fixtures';
import { PG_URL } from './support/test-env';

// Issue 17, item 9: the demo seed (scripts/seed-demo.ts, run by demo.sh and the compose
// "demo" profile) creates the demo logins only in a demo and only into an empty users
// table, so starting again never resets a demo password or re-enables a demo admin.
const DB = 'seed_demo_it';
const root = path.resolve(import.meta.dirname, '../..');
let db: pg.Client;

/** The seed script as demo.sh runs it, against this test's own metadata database. */
async function runSeed(env: Record<string, string | undefined>): Promise<{ code: number; output: string }> {
  const { FERRY_DEMO: _inherited, ...base } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts'], {
      cwd: root,
      env: { ...base, DATABASE_URL: PG_URL(DB), ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const admin = async () =>
  (await db.query<{ password_hash: string; disabled_at: Date | null }>(`SELECT password_hash, disabled_at FROM users WHERE email = 'admin@ferry.local'`)).rows[0];
const userCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n;

before(async () => {
  db = await freshPgDatabase(DB);
  await applyMigrations(PG_URL(DB), path.join(root, 'prisma/migrations'));
});

after(async () => {
  await db.end();
});

test('without FERRY_DEMO=1 the seed refuses and creates nothing', async () => {
  const { code, output } = await runSeed({});
  assert.equal(code, 1);
  assert.match(output, /Refusing to seed the demo logins/);
  assert.equal(await userCount(), 0);
  assert.equal((await runSeed({ FERRY_DEMO: 'true' })).code, 1, 'only the exact value 1 counts');
});

test('into an empty users table: the demo logins, once, even when two seeds start together', async () => {
  const runs = await Promise.all([runSeed({ FERRY_DEMO: '1' }), runSeed({ FERRY_DEMO: '1' })]);
  assert.deepEqual(
    runs.map((r) => r.code),
    [0, 0],
    runs.map((r) => r.output).join('\n'),
  );
  assert.equal(runs.filter((r) => /Seeded 3 demo users/.test(r.output)).length, 1);
  assert.equal(await userCount(), 3);
  assert.ok(await verifyPassword((await admin()).password_hash, 'ferry-admin-demo'));
  // The two database connections once each. The seed also adds the demo CSV file source
  // when the machine's new CRM already has its tables (`npm run demo` ran here): once at most.
  const kinds = (await db.query<{ kind: string; n: number }>('SELECT kind::text, count(*)::int AS n FROM connections GROUP BY kind ORDER BY kind')).rows;
  const csvSources = kinds.find((k) => k.kind === 'csv')?.n ?? 0;
  assert.deepEqual(kinds.filter((k) => k.kind !== 'csv'), [{ kind: 'mysql', n: 1 }, { kind: 'postgres', n: 1 }]);
  assert.ok(csvSources <= 1, `${csvSources} demo file sources`);
  assert.equal(csvSources, runs.some((r) => /Demo CSV export not added: the new CRM has no contacts table/.test(r.output)) ? 0 : 1, runs.map((r) => r.output).join('\n'));
  // The demo's sync and plan need the demo data: each run says what became of them.
  for (const run of runs) assert.match(run.output, /Demo sync[^\n]*\n[^\n]*Demo plan/, run.output);
});

test('a second run leaves a changed password, a disabled admin and a removed demo user as they are', async () => {
  const changedHash = await hashPassword('a password only the owner knows');
  await db.query(`UPDATE users SET password_hash = $1, disabled_at = now() WHERE email = 'admin@ferry.local'`, [changedHash]);
  await db.query(`DELETE FROM users WHERE email = 'viewer@ferry.local'`);
  const before = await admin();

  const { code, output } = await runSeed({ FERRY_DEMO: '1' });
  assert.equal(code, 0, output);
  assert.match(output, /Users exist already/);
  const afterRun = await admin();
  assert.equal(afterRun.password_hash, before.password_hash, 'the demo password is not restored');
  assert.ok(afterRun.disabled_at, 'the demo admin stays disabled');
  assert.equal(await userCount(), 2, 'the removed demo user is not recreated');
});
