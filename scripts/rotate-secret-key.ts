/**
 * `npm run secrets:rotate`: re-encrypts every stored secret under FERRY_SECRET_KEY.
 *
 * Procedure (README "Rotating the secret key"): set FERRY_SECRET_KEY to a new key and
 * FERRY_SECRET_KEY_PREVIOUS to the old one for the web app, the workers and this command;
 * restart them; run this; when it reports no failures, remove FERRY_SECRET_KEY_PREVIOUS and
 * restart again. Run without FERRY_SECRET_KEY_PREVIOUS it upgrades older (v1) envelopes to
 * v2 under the current key. Safe to interrupt and to run again.
 */
import { secretKeyId } from '../lib/crypto/secret-box';
import { disconnectPrisma } from '../lib/db/client';
import { env } from '../lib/env';
import { loadLocalEnvFile } from '../lib/env-file';
import { rotateConnectionSecrets } from '../lib/saved-connections/rotate-connection-secrets';

loadLocalEnvFile();

async function main(): Promise<number> {
  const { FERRY_SECRET_KEY: current, FERRY_SECRET_KEY_PREVIOUS: previous } = env();
  const batchSize = Number(process.env.FERRY_ROTATE_BATCH_SIZE ?? 200);
  if (previous && secretKeyId(previous) === secretKeyId(current)) {
    console.error('FERRY_SECRET_KEY_PREVIOUS is the same key as FERRY_SECRET_KEY: set FERRY_SECRET_KEY to the new key.');
    return 2;
  }
  console.log(
    previous
      ? `Re-encrypting stored secrets: key ${secretKeyId(previous)} (FERRY_SECRET_KEY_PREVIOUS) → key ${secretKeyId(current)} (FERRY_SECRET_KEY).`
      : `FERRY_SECRET_KEY_PREVIOUS is not set: rewriting older envelopes under key ${secretKeyId(current)} (FERRY_SECRET_KEY) only.`,
  );
  const report = await rotateConnectionSecrets({ current, previous }, {
    batchSize: Number.isInteger(batchSize) && batchSize > 0 ? batchSize : 200,
    onBatch: (r) => console.log(`  … ${r.examined} examined, ${r.rewritten} re-encrypted`),
  });
  console.log(
    `Connection passwords: ${report.examined} examined, ${report.rewritten} re-encrypted, ` +
      `${report.alreadyCurrent} already under the current key, ${report.changedMeanwhile} saved meanwhile, ${report.failed.length} failed.`,
  );
  if (report.failed.length > 0) {
    console.error('These passwords open with neither key; enter them again in Ferry (or set the key that sealed them):');
    for (const f of report.failed) console.error(`  ${f.name} (${f.id}): ${f.reason}`);
    return 1;
  }
  if (previous) console.log('Done: every secret is under the current key. Remove FERRY_SECRET_KEY_PREVIOUS and restart the app and workers.');
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await disconnectPrisma();
}
