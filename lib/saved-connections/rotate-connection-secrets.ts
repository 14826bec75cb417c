import { SecretEnvelopeError, decryptSecret, encryptSecret, isSealedWith } from '../crypto/secret-box';
import { prisma } from '../db/client';
import { connectionSecretContext } from './connection-password';

export interface SecretRotationKeys {
  /** Seals everything from now on (FERRY_SECRET_KEY). */
  current: string;
  /** The key being retired (FERRY_SECRET_KEY_PREVIOUS); absent when only upgrading v1 envelopes. */
  previous?: string;
}

export interface SecretRotationReport {
  examined: number;
  /** Re-encrypted under the current key as v2 (from the previous key, or from v1). */
  rewritten: number;
  /** Already v2 under the current key: nothing to do (a second run rewrites nothing). */
  alreadyCurrent: number;
  /** Saved by someone while the batch ran, so already sealed afresh by the app: left alone. */
  changedMeanwhile: number;
  /** Envelopes no configured key opens (for their connection): their password must be entered again. */
  failed: { id: string; name: string; reason: string }[];
}

/**
 * Re-encrypts every stored connection password under the current key, as v2 envelopes
 * bound to their connection. Walks the table in id order, one transaction per batch, and
 * only rewrites an envelope that is still the one it read (compare-and-set), so it can run
 * while the app and workers serve (they open both keys), be interrupted, and run again:
 * what is done stays done, what is left is picked up.
 */
export async function rotateConnectionSecrets(
  keys: SecretRotationKeys,
  options: { batchSize?: number; onBatch?: (report: SecretRotationReport) => void } = {},
): Promise<SecretRotationReport> {
  const batchSize = options.batchSize ?? 200;
  const openWith = keys.previous && keys.previous !== keys.current ? [keys.current, keys.previous] : [keys.current];
  const report: SecretRotationReport = { examined: 0, rewritten: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await prisma().connection.findMany({
      where: { passwordEncrypted: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, name: true, passwordEncrypted: true, updatedAt: true },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const rewrites: { id: string; from: string; to: string; updatedAt: Date }[] = [];
    for (const row of rows) {
      const envelope = row.passwordEncrypted as string;
      report.examined += 1;
      try {
        const password = decryptSecret(envelope, openWith, connectionSecretContext(row.id));
        if (isSealedWith(envelope, keys.current)) report.alreadyCurrent += 1;
        else rewrites.push({ id: row.id, from: envelope, to: encryptSecret(password, keys.current, connectionSecretContext(row.id)), updatedAt: row.updatedAt });
      } catch (error) {
        if (!(error instanceof SecretEnvelopeError)) throw error;
        report.failed.push({ id: row.id, name: row.name, reason: error.message });
      }
    }
    const counts = await prisma().$transaction(
      rewrites.map((r) =>
        prisma().connection.updateMany({
          where: { id: r.id, passwordEncrypted: r.from },
          // Re-encrypting is not an edit: the connection keeps its last-changed time.
          data: { passwordEncrypted: r.to, updatedAt: r.updatedAt },
        }),
      ),
    );
    for (const { count } of counts) {
      if (count === 1) report.rewritten += 1;
      else report.changedMeanwhile += 1;
    }
    options.onBatch?.(report);
  }
  return report;
}
