// Creates an admin user, for a real installation's first sign-in (the demo logins are
// only seeded into a demo: scripts/seed-demo.ts). The password comes from standard input
// (first line) or FERRY_ADMIN_PASSWORD:
//   FERRY_ADMIN_EMAIL=ops@example.com npm run -s admin:create < password-file
//   docker compose run --rm -T -e FERRY_ADMIN_EMAIL=ops@example.com web npx tsx scripts/create-admin.ts < password-file
import { text } from 'node:stream/consumers';
import { loadLocalEnvFile } from '../lib/env-file';
import { disconnectPrisma } from '../lib/db/client';
import { AppError } from '../lib/errors';
import { createUser, createUserSchema } from '../lib/users/manage-users';

loadLocalEnvFile();

const password = process.env.FERRY_ADMIN_PASSWORD ?? (process.stdin.isTTY ? '' : (await text(process.stdin)).split(/\r?\n/)[0]);
const parsed = createUserSchema.safeParse({
  email: process.env.FERRY_ADMIN_EMAIL,
  name: process.env.FERRY_ADMIN_NAME ?? 'Administrator',
  role: 'admin',
  password,
});
try {
  if (!parsed.success) {
    throw new Error(
      `Cannot create the admin: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}\n` +
        'Set FERRY_ADMIN_EMAIL (and FERRY_ADMIN_NAME) and pass the password on standard input or in FERRY_ADMIN_PASSWORD.',
    );
  }
  const user = await createUser(null, parsed.data);
  console.log(`Created admin ${user.email}.`);
} catch (error) {
  console.error(error instanceof AppError && error.code === 'conflict' ? `A user ${parsed.data?.email} exists already; nothing changed.` : (error as Error).message);
  process.exitCode = 1;
} finally {
  await disconnectPrisma();
}
