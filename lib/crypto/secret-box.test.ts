import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptSecret, encryptSecret } from './secret-box';

const key = randomBytes(32).toString('base64');

test('a secret round-trips and is never stored in clear', () => {
  const envelope = encryptSecret('pa55word-ü', key);
  assert.match(envelope, /^v1:[^:]+:[^:]+:[^:]+$/);
  assert.ok(!envelope.includes('pa55word'));
  assert.equal(decryptSecret(envelope, key), 'pa55word-ü');
  assert.notEqual(encryptSecret('pa55word-ü', key), envelope, 'a fresh IV each time');
});

test('a tampered envelope or another key is refused', () => {
  const [v, iv, tag, data] = encryptSecret('secret', key).split(':');
  const flipped = Buffer.from(data, 'base64');
  flipped[0] ^= 1;
  assert.throws(() => decryptSecret([v, iv, tag, flipped.toString('base64')].join(':'), key));
  assert.throws(() => decryptSecret([v, iv, tag, data].join(':'), randomBytes(32).toString('base64')));
  assert.throws(() => decryptSecret('plain text', key), /Unrecognised/);
  assert.throws(() => encryptSecret('x', Buffer.alloc(16).toString('base64')), /32 bytes/);
});
