import './support/test-env';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { decryptSecret, encryptSecret, isSealedWith, secretKeyId } from '@/lib/crypto/secret-box';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { connectionSecretContext } from '@/lib/saved-connections/connection-password';
import { resolveConnection } from '@/lib/saved-connections/resolve-connection';
import { rotateConnectionSecrets } from '@/lib/saved-connections/rotate-connection-secrets';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { testAdmin } from './support/fixtures';

/**
 * Rotation as an operator runs it: the app is configured with the new key and the
 * previous one, opens envelopes of both, `secrets:rotate` moves everything to the new key
 * in batches, can be interrupted and run again, and afterwards the new key alone opens all.
 * The test database is shared, so the rotation is undone at the end (the same command the
 * other way round).
 */
const previousKey = process.env.FERRY_SECRET_KEY as string;
const newKey = randomBytes(32).toString('base64');
// What the app and workers run with during a rotation; read lazily by env().
process.env.FERRY_SECRET_KEY = newKey;
process.env.FERRY_SECRET_KEY_PREVIOUS = previousKey;

const tag = `rotation ${Date.now()}`;
let actor: Actor;
const ours: { id: string; password: string }[] = [];

/** An envelope as Ferry wrote it before v2 (no key id, no context). */
function v1Envelope(plaintext: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** A connection row written directly, as an older Ferry (or the previous key) left it. */
async function storedRow(name: string, password: string, seal: (id: string) => string) {
  const id = randomUUID();
  await prisma().connection.create({
    data: { id, name: `${tag} ${name}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', username: 'postgres', sslMode: 'disable', passwordEncrypted: seal(id) },
  });
  ours.push({ id, password });
  return id;
}

const envelopeOf = async (id: string) =>
  (await prisma().connection.findUniqueOrThrow({ where: { id }, select: { passwordEncrypted: true } })).passwordEncrypted as string;

/** Rows the rotation still has to rewrite: not v2 under the new key, but opened by a configured key. */
async function pendingRows(): Promise<number> {
  const rows = await prisma().connection.findMany({ where: { passwordEncrypted: { not: null } }, select: { id: true, passwordEncrypted: true } });
  return rows.filter((row) => {
    const envelope = row.passwordEncrypted as string;
    if (isSealedWith(envelope, newKey)) return false;
    try {
      decryptSecret(envelope, [newKey, previousKey], connectionSecretContext(row.id));
      return true;
    } catch {
      return false;
    }
  }).length;
}

before(async () => {
  actor = await testAdmin();
  for (let i = 0; i < 3; i += 1) await storedRow(`v1 ${i}`, `legacy-${i}`, () => v1Envelope(`legacy-${i}`, previousKey));
  for (let i = 0; i < 3; i += 1) await storedRow(`old key ${i}`, `old-${i}`, (id) => encryptSecret(`old-${i}`, previousKey, connectionSecretContext(id)));
  const fresh = await createConnection(actor, { name: `${tag} new key`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', username: 'postgres', password: 'fresh-secret', sslMode: 'disable' });
  ours.push({ id: fresh.id, password: 'fresh-secret' });
});

after(async () => {
  // Back to the suite's key, by the same procedure in reverse; then remove our rows.
  const back = await rotateConnectionSecrets({ current: previousKey, previous: newKey });
  assert.equal(back.failed.filter((f) => f.name.startsWith(tag)).length, 0);
  await prisma().connection.deleteMany({ where: { name: { startsWith: tag } } });
  await disconnectPrisma();
});

describe('secret key rotation', () => {
  test('during a rotation the app opens envelopes of both keys and of both formats, and seals with the new key', async () => {
    for (const { id, password } of ours) assert.equal((await resolveConnection(id)).password, password);
    const fresh = ours[ours.length - 1];
    const envelope = await envelopeOf(fresh.id);
    assert.ok(envelope.startsWith(`v2:${secretKeyId(newKey)}:`), envelope.slice(0, 12));
  });

  test('a ciphertext copied into another connection does not open there', async () => {
    const donor = ours[ours.length - 1];
    const thief = await createConnection(actor, { name: `${tag} thief`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', username: 'postgres', sslMode: 'disable' });
    await prisma().connection.update({ where: { id: thief.id }, data: { passwordEncrypted: await envelopeOf(donor.id) } });
    await assert.rejects(resolveConnection(thief.id), (error: unknown) => {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.status, 409);
      assert.match(error.message, /cannot be decrypted \(altered, or sealed for another record\)/);
      return true;
    });
    assert.equal((await resolveConnection(donor.id)).password, donor.password, 'the original still opens');
    // The rotation reports it instead of spreading it; then it is removed.
    const report = await rotateConnectionSecrets({ current: newKey, previous: previousKey });
    assert.deepEqual(report.failed.filter((f) => f.name.startsWith(tag)).map((f) => f.id), [thief.id]);
    await prisma().connection.delete({ where: { id: thief.id } });
  });

  test('an interrupted rotation resumes, a second run rewrites nothing, and the new key alone then opens everything', async () => {
    // Undo the previous test's rotation for our rows, so this one has work to do.
    for (const [i, row] of ours.entries()) {
      const envelope = i < 3 ? v1Envelope(row.password, previousKey) : encryptSecret(row.password, previousKey, connectionSecretContext(row.id));
      await prisma().connection.update({ where: { id: row.id }, data: { passwordEncrypted: envelope } });
    }
    const updatedBefore = await prisma().connection.findMany({ where: { id: { in: ours.map((r) => r.id) } }, select: { id: true, updatedAt: true } });

    const pendingBefore = await pendingRows();
    assert.ok(pendingBefore >= ours.length);
    let batches = 0;
    let interruptedRewrites = 0;
    await assert.rejects(
      rotateConnectionSecrets(
        { current: newKey, previous: previousKey },
        {
          batchSize: 2,
          onBatch: (report) => {
            batches += 1;
            interruptedRewrites = report.rewritten;
            if (batches === 2) throw new Error('interrupted');
          },
        },
      ),
      /interrupted/,
    );
    const first = await rotateConnectionSecrets({ current: newKey, previous: previousKey }, { batchSize: 2 });
    assert.equal(first.failed.filter((f) => f.name.startsWith(tag)).length, 0);
    // What the interrupted run committed stayed done; the rerun did exactly the rest.
    assert.equal(await pendingRows(), 0);
    assert.equal(interruptedRewrites + first.rewritten, pendingBefore);
    assert.equal(first.examined, first.rewritten + first.alreadyCurrent + first.changedMeanwhile + first.failed.length);

    const second = await rotateConnectionSecrets({ current: newKey, previous: previousKey }, { batchSize: 2 });
    assert.equal(second.rewritten, 0, 'idempotent');
    assert.equal(second.examined, first.examined);

    for (const row of ours) {
      const envelope = await envelopeOf(row.id);
      assert.ok(isSealedWith(envelope, newKey), envelope.slice(0, 12));
      assert.equal(decryptSecret(envelope, [newKey], connectionSecretContext(row.id)), row.password);
      assert.throws(() => decryptSecret(envelope, [previousKey], connectionSecretContext(row.id)), /neither FERRY_SECRET_KEY/);
    }
    const updatedAfter = await prisma().connection.findMany({ where: { id: { in: ours.map((r) => r.id) } }, select: { id: true, updatedAt: true } });
    assert.deepEqual(
      updatedAfter.map((r) => [r.id, r.updatedAt.toISOString()]).sort(),
      updatedBefore.map((r) => [r.id, r.updatedAt.toISOString()]).sort(),
      're-encrypting is not an edit',
    );
  });
});
