import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelopes for secrets at rest.
 *
 * v2 (written): "v2:<keyId>:<iv>:<tag>:<ciphertext>" (base64 parts). The key id (8 hex
 * characters of the key's SHA-256) says which key sealed it, so during a key rotation the
 * reader picks the right one of the current and previous keys. The context (for a
 * connection's password: its id) is authenticated data: an envelope copied into another
 * row fails to open there, so a user able to write one row's ciphertext cannot make Ferry
 * send another connection's password to a host of theirs.
 *
 * v1 (read only): "v1:<iv>:<tag>:<ciphertext>", no key id and no context. Still opened with
 * any configured key so that installations from before v2 keep working; `npm run
 * secrets:rotate` rewrites them as v2.
 */
const CURRENT = 'v2';

export type SecretEnvelopeFailure = 'unrecognised' | 'unknown_key' | 'not_authentic';

/** An envelope that cannot be opened: its reason is stable, its message safe to show. */
export class SecretEnvelopeError extends Error {
  constructor(
    readonly reason: SecretEnvelopeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SecretEnvelopeError';
  }
}

function keyFrom(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('Secret key must be 32 bytes (base64)');
  return key;
}

/** A short, public name for a key (8 hex characters of its SHA-256): which key sealed an envelope. */
export function secretKeyId(base64Key: string): string {
  return createHash('sha256').update(keyFrom(base64Key)).digest('hex').slice(0, 8);
}

// The version and key id are authenticated too, so no part of the envelope can be swapped.
const additionalData = (keyId: string, context: string) => Buffer.from(`ferry-secret:${CURRENT}:${keyId}:${context}`, 'utf8');

/** Seals `plaintext` under `base64Key`, bound to `context` (e.g. "connection:<id>"). */
export function encryptSecret(plaintext: string, base64Key: string, context: string): string {
  const keyId = secretKeyId(base64Key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(base64Key), iv);
  cipher.setAAD(additionalData(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [CURRENT, keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

function open(key: Buffer, iv: string, tag: string, ciphertext: string, aad?: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Opens an envelope with whichever of `base64Keys` sealed it (the current key first, then
 * the previous one during a rotation). Throws SecretEnvelopeError when the format is
 * unknown, no given key sealed it, or it was altered or sealed for another context.
 */
export function decryptSecret(envelope: string, base64Keys: string | readonly string[], context: string): string {
  const keys = (typeof base64Keys === 'string' ? [base64Keys] : base64Keys).map((k) => ({ id: secretKeyId(k), bytes: keyFrom(k) }));
  const parts = envelope.split(':');
  if (parts[0] === CURRENT && parts.length === 5 && parts.every((p, i) => i === 4 || p)) {
    const [, keyId, iv, tag, ciphertext] = parts;
    const key = keys.find((k) => k.id === keyId);
    if (!key) {
      throw new SecretEnvelopeError(
        'unknown_key',
        `sealed with key ${keyId}, which is neither FERRY_SECRET_KEY (${keys[0]?.id ?? 'unset'}) nor FERRY_SECRET_KEY_PREVIOUS`,
      );
    }
    const plaintext = open(key.bytes, iv, tag, ciphertext, additionalData(keyId, context));
    if (plaintext === null) throw new SecretEnvelopeError('not_authentic', 'altered, or sealed for another record');
    return plaintext;
  }
  if (parts[0] === 'v1' && parts.length === 4 && parts[1] && parts[2]) {
    for (const key of keys) {
      const plaintext = open(key.bytes, parts[1], parts[2], parts[3]);
      if (plaintext !== null) return plaintext;
    }
    throw new SecretEnvelopeError('not_authentic', 'altered, or sealed with a key that is not configured');
  }
  throw new SecretEnvelopeError('unrecognised', 'not a Ferry secret envelope');
}

/** True when the envelope is v2 under `base64Key`: nothing for a rotation to do. */
export function isSealedWith(envelope: string, base64Key: string): boolean {
  const [version, keyId] = envelope.split(':');
  return version === CURRENT && keyId === secretKeyId(base64Key);
}
