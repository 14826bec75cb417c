import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSecretName, nameWords, REDACTED, redactSecrets } from './redact-secrets';

describe('isSecretName', () => {
  test('names of secrets, in any casing convention', () => {
    const secret = [
      'password', 'Password', 'PASSWORD', 'dbPassword', 'db_password', 'newPassword', 'passwordHash', 'passwordEncrypted', 'passwd', 'pwd', 'db_pass', 'passphrase',
      'secret', 'clientSecret', 'client_secret', 'secretKey', 'secret_key', 'FERRY_SECRET_KEY', 'webhookSecrets',
      'token', 'accessToken', 'access_token', 'refreshToken', 'csrf-token', 'apiToken', 'tokenValue',
      'apiKey', 'api_key', 'API_KEY', 'APIKey', 'x-api-key', 'apikey', 'ApiKeys', 'privateKey', 'private_key', 'privatekey', 'sslKey', 'ssl.key',
      'accessKey', 'encryptionKey', 'signingKey', 'masterKey', 'sessionKey', 'hmac_key', 'passkey',
      'credentials', 'awsCredential', 'authorization', 'Cookie',
    ];
    for (const name of secret) assert.equal(isSecretName(name), true, name);
  });

  test('database keys and other harmless names that contain "key"', () => {
    const harmless = [
      'key', 'keys', 'sourceKey', 'targetKey', 'source_key', 'primaryKey', 'foreignKeys', 'keyColumns', 'sourceKeyColumns', 'sortKey', 'lowerKey', 'upperKey',
      'keyText', 'key_text', 'nullKeys', 'duplicateKeys', 'isKey', 'keyed', 'monkey', 'turkey', 'keyboard', 'publicKey',
      'host', 'port', 'username', 'user', 'email', 'role', 'name', 'sslMode', 'sslCaCertificate', 'bypass', 'passes', 'compass', 'spec', 'version',
    ];
    for (const name of harmless) assert.equal(isSecretName(name), false, name);
  });

  test('words of a name', () => {
    assert.deepEqual(nameWords('APIKey'), ['api', 'key']);
    assert.deepEqual(nameWords('sslCaCertificate'), ['ssl', 'ca', 'certificate']);
    assert.deepEqual(nameWords('FERRY_SECRET_KEY'), ['ferry', 'secret', 'key']);
    assert.deepEqual(nameWords('x-api-key'), ['x', 'api', 'key']);
  });
});

describe('redactSecrets', () => {
  test('values of secret fields go, at any depth and in arrays; configuration stays', () => {
    const before = {
      name: 'crm',
      password: 'hunter2',
      options: { apiKey: 'AKIA123', nested: [{ accessToken: 't-1', keyColumns: ['id'] }, { private_key: { pem: '-----BEGIN' } }] },
      spec: { source: { table: 'users', key: ['id'] }, target: { table: 'contacts', key: ['id'] }, sortKey: 'created_at' },
      values: { id: 7, password_hash: '$argon2id$…', email: 'a@example.com' },
      secrets: ['a', 'b'],
      [`list`]: [[{ token: 'x' }]],
    };
    assert.deepEqual(redactSecrets(before), {
      name: 'crm',
      password: REDACTED,
      options: { apiKey: REDACTED, nested: [{ accessToken: REDACTED, keyColumns: ['id'] }, { private_key: REDACTED }] },
      spec: { source: { table: 'users', key: ['id'] }, target: { table: 'contacts', key: ['id'] }, sortKey: 'created_at' },
      values: { id: 7, password_hash: REDACTED, email: 'a@example.com' },
      secrets: REDACTED,
      list: [[{ token: REDACTED }]],
    });
  });

  test('flags and empty values of secret-named fields stay readable', () => {
    assert.deepEqual(redactSecrets({ hasPassword: true, passwordChanged: false, password: null, tokenExpired: true, pin: 1234, secret: 0 }), {
      hasPassword: true,
      passwordChanged: false,
      password: null,
      tokenExpired: true,
      pin: 1234,
      secret: REDACTED,
    });
  });

  test('plain values, dates and the input itself are left alone', () => {
    const input = { password: 'x' };
    redactSecrets(input);
    assert.deepEqual(input, { password: 'x' });
    assert.equal(redactSecrets('password'), 'password');
    assert.equal(redactSecrets(null), null);
    const at = new Date(0);
    assert.equal(redactSecrets(at), at);
  });

  test('a value nested past any real configuration is cut off, not walked', () => {
    let deep: unknown = { password: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    assert.doesNotThrow(() => JSON.stringify(redactSecrets(deep)));
  });
});
