import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestAuthority } from '../../tests/security/support/tls-certificates';
import { AppError } from '../errors';
import { canonicalCaCertificate } from './ca-certificates';

const authority = createTestAuthority('Ferry unit CA');
const other = createTestAuthority('Another CA');

const refusedWith = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.status, 422);
  assert.equal(error.issues[0]?.path, 'body.sslCaCertificate');
  assert.match(error.issues[0].message, pattern);
  return true;
};

test('blank means the system authorities', () => {
  assert.equal(canonicalCaCertificate(undefined), null);
  assert.equal(canonicalCaCertificate('  \n'), null);
});

test('one or more certificates come back canonical: comments, CRLF and spacing do not matter', () => {
  const canonical = canonicalCaCertificate(authority.certificate);
  assert.ok(canonical?.startsWith('-----BEGIN CERTIFICATE-----'));
  const pasted = `# Ferry unit CA, from the DBA\r\n\r\n  ${authority.certificate.replaceAll('\n', '\r\n')}\r\n`;
  assert.equal(canonicalCaCertificate(pasted), canonical);
  const bundle = canonicalCaCertificate(`${authority.certificate}\n${other.certificate}`);
  assert.equal(bundle?.match(/BEGIN CERTIFICATE/g)?.length, 2);
  assert.notEqual(bundle, canonical);
});

test('a private key, a damaged certificate, text without one, or an expired one is refused on the field', () => {
  const { key } = authority.issue(['DNS:db.example']);
  assert.throws(() => canonicalCaCertificate(`${authority.certificate}${key}`), refusedWith(/not a private key/));
  const damaged = authority.certificate.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA!');
  assert.throws(() => canonicalCaCertificate(damaged), refusedWith(/number 1 is not a valid X\.509 certificate/));
  assert.throws(() => canonicalCaCertificate('just some text'), refusedWith(/BEGIN CERTIFICATE/));
  const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  assert.throws(() => canonicalCaCertificate(authority.certificate, later), refusedWith(/number 1 \(CN=Ferry unit CA\) expired on/));
});
