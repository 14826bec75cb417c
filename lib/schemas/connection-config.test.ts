import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionConfigSchema } from './connection-config';

const config = { name: 'Legacy CRM', kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'crm', username: 'ferry' };

test('the zone of timestamps without zone: an IANA name, UTC when left out on create', () => {
  assert.equal(connectionConfigSchema.parse(config).timestampZone, undefined);
  assert.equal(connectionConfigSchema.parse({ ...config, timestampZone: ' Europe/Berlin ' }).timestampZone, 'Europe/Berlin');
  const bad = connectionConfigSchema.safeParse({ ...config, timestampZone: 'Mars/Olympus_Mons' });
  assert.deepEqual(bad.success ? [] : bad.error.issues.map((i) => [i.path.join('.'), i.message]), [
    ['timestampZone', 'unknown time zone "Mars/Olympus_Mons"; use an IANA name such as UTC or Europe/Berlin'],
  ]);
  assert.equal(connectionConfigSchema.safeParse({ ...config, timestampZone: '' }).success, false);
});

const issuesOf = (input: unknown) => {
  const parsed = connectionConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
};

test('control characters are refused in every connection field, naming the field and the character', () => {
  for (const field of ['name', 'database', 'username', 'schema'] as const) {
    for (const [bad, codePoint] of [
      ['a\nb', 'U+000A'],
      ['a\tb', 'U+0009'],
      ['a\u001b[31mb', 'U+001B'],
      ['a\u007fb', 'U+007F'],
      ['a\u0085b', 'U+0085'],
    ]) {
      assert.deepEqual(issuesOf({ ...config, [field]: bad }), [
        [field, `must not contain control characters such as line breaks or tabs (${codePoint} at position 2)`],
      ]);
    }
  }
  assert.deepEqual(issuesOf({ ...config, host: 'db\n.example' }), [['host', 'must be a host name or IP address']]);
  // Surrounding whitespace is trimmed as before; printable text of any script is fine.
  assert.equal(connectionConfigSchema.parse({ ...config, name: ' Ancien CRM — Zürich \n' }).name, 'Ancien CRM — Zürich');
});

test('a password may hold any printable character, but no control character', () => {
  const printable = ` p@ss "wörd" \\ ' ; -- ${'€'}`;
  assert.equal(connectionConfigSchema.parse({ ...config, password: printable }).password, printable);
  for (const bad of ['secret\n', 'se\tcret', 'se\u0000cret', 'secret\r']) {
    assert.deepEqual(issuesOf({ ...config, password: bad }), [['password', 'must not contain control characters such as line breaks or tabs']]);
  }
});

test('the CA certificate: blank is none; a private key or non-PEM text is refused in the browser already', () => {
  assert.equal(connectionConfigSchema.parse({ ...config, sslCaCertificate: '  ' }).sslCaCertificate, undefined);
  assert.equal(connectionConfigSchema.parse({ ...config, sslCaCertificate: null }).sslCaCertificate, undefined);
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  assert.equal(connectionConfigSchema.parse({ ...config, sslMode: 'verify_ca', sslCaCertificate: pem }).sslCaCertificate, pem);
  assert.deepEqual(issuesOf({ ...config, sslCaCertificate: 'hello' }), [['sslCaCertificate', 'must be PEM text starting with -----BEGIN CERTIFICATE-----']]);
  assert.deepEqual(issuesOf({ ...config, sslCaCertificate: `${pem}-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----` }), [
    ['sslCaCertificate', 'must not contain a private key: paste only the certificate'],
  ]);
  assert.deepEqual(issuesOf({ ...config, sslCaCertificate: pem.padEnd(70_000, 'A') }), [['sslCaCertificate', 'must be at most 64 KiB of PEM text']]);
});
