import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretEnvelopeError, decryptSecret, encryptSecret, isSealedWith, secretKeyId } from './secret-box';

const key = randomBytes(32).toString('base64');
const otherKey = randomBytes(32).toString('base64');
const context = 'connection:4b1c0d9e-0000-4000-8000-000000000001';

const refused = (reason: SecretEnvelopeError['reason']) => (error: unknown) =>
  error instanceof SecretEnvelopeError && error.reason === reason;

/** What Ferry wrote before v2: no key id, no context. */
function v1Envelope(plaintext: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

test('a secret round-trips, names its key and is never stored in clear', () => {
  const envelope = encryptSecret('pa55word-ü', key, context);
  assert.match(envelope, /^v2:[0-9a-f]{8}:[^:]+:[^:]+:[^:]+$/);
  assert.equal(envelope.split(':')[1], secretKeyId(key));
  assert.ok(!envelope.includes('pa55word'));
  assert.equal(decryptSecret(envelope, key, context), 'pa55word-ü');
  assert.notEqual(encryptSecret('pa55word-ü', key, context), envelope, 'a fresh IV each time');
  assert.ok(isSealedWith(envelope, key));
  assert.ok(!isSealedWith(envelope, otherKey));
});

test('an envelope opens only in the context it was sealed for: a copied ciphertext is useless elsewhere', () => {
  const envelope = encryptSecret('secret', key, context);
  assert.throws(() => decryptSecret(envelope, key, 'connection:4b1c0d9e-0000-4000-8000-000000000002'), refused('not_authentic'));
});

test('the key is picked by its id: the previous key still opens its envelopes during a rotation', () => {
  const old = encryptSecret('secret', otherKey, context);
  assert.equal(decryptSecret(old, [key, otherKey], context), 'secret');
  assert.throws(() => decryptSecret(old, [key], context), refused('unknown_key'));
  assert.throws(() => decryptSecret(old, [key], context), new RegExp(`key ${secretKeyId(otherKey)}`));
});

test('a tampered envelope, a swapped key id or an unknown format is refused', () => {
  const [v, id, iv, tag, data] = encryptSecret('secret', key, context).split(':');
  const flipped = Buffer.from(data, 'base64');
  flipped[0] ^= 1;
  assert.throws(() => decryptSecret([v, id, iv, tag, flipped.toString('base64')].join(':'), key, context), refused('not_authentic'));
  assert.throws(() => decryptSecret([v, secretKeyId(otherKey), iv, tag, data].join(':'), [key, otherKey], context), refused('not_authentic'));
  assert.throws(() => decryptSecret('plain text', key, context), refused('unrecognised'));
  assert.throws(() => decryptSecret('v2:abc', key, context), refused('unrecognised'));
  assert.throws(() => encryptSecret('x', Buffer.alloc(16).toString('base64'), context), /32 bytes/);
});

test('v1 envelopes (no key id, no context) still open with either configured key, and are not current', () => {
  const legacy = v1Envelope('old-secret', otherKey);
  assert.equal(decryptSecret(legacy, [key, otherKey], context), 'old-secret');
  assert.equal(decryptSecret(legacy, [otherKey], 'anything'), 'old-secret');
  assert.throws(() => decryptSecret(legacy, [key], context), refused('not_authentic'));
  assert.ok(!isSealedWith(legacy, otherKey));
});
