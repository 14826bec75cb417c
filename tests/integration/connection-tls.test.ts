import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConnectionTestResult } from '@/lib/connectors/connector';
import { AppError } from '@/lib/errors';
import { testConnectionConfig } from '@/lib/saved-connections/test-connection';
import type { ConnectionConfig } from '@/lib/schemas/connection-config';
import { type FakeServer, startFakeMysql, startFakePostgres } from '../security/support/fake-database-servers';
import { type TestAuthority, createTestAuthority } from '../security/support/tls-certificates';

/**
 * The TLS modes with both real drivers against TLS servers started here (certificates made
 * with openssl): verify_ca trusts only the connection's CA, verify_full also the host name,
 * require trusts anyone — which is why it is not enough.
 */
const password = `tls-secret-${Date.now()}`;
let ours: TestAuthority;
let theirs: TestAuthority;

before(() => {
  ours = createTestAuthority('Ferry test CA');
  theirs = createTestAuthority('Impostor CA');
});

const start = { postgres: startFakePostgres, mysql: startFakeMysql };

for (const kind of ['postgres', 'mysql'] as const) {
  describe(`${kind}: TLS certificate checks`, () => {
    let genuine: FakeServer;
    let impostor: FakeServer;
    let misnamed: FakeServer;

    before(async () => {
      genuine = await start[kind]({ tls: ours.issue(['DNS:localhost', 'IP:127.0.0.1']) });
      impostor = await start[kind]({ tls: theirs.issue(['DNS:localhost', 'IP:127.0.0.1']) });
      misnamed = await start[kind]({ tls: ours.issue(['DNS:db.example.com']) });
    });
    after(() => Promise.all([genuine, impostor, misnamed].map((s) => s.close())));

    const config = (server: FakeServer, sslMode: ConnectionConfig['sslMode'], extra: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
      name: 'tls',
      kind,
      host: server.host,
      port: server.port,
      database: 'crm',
      username: 'ferry',
      password,
      sslMode,
      sslCaCertificate: ours.certificate,
      ...extra,
    });
    const codeOf = (result: ConnectionTestResult) => (result.ok ? 'ok' : result.code);
    const messageOf = (result: ConnectionTestResult) => (result.ok ? '' : result.message);

    test('verify_ca accepts a certificate from the given CA (the handshake gets as far as the password)', async () => {
      const result = await testConnectionConfig(config(genuine, 'verify_ca'));
      assert.equal(codeOf(result), 'auth_failed', messageOf(result));
      assert.ok(genuine.received().includes(password), 'the genuine server was reached over TLS');
    });

    test('verify_ca refuses a certificate from another CA before the password is sent', async () => {
      const result = await testConnectionConfig(config(impostor, 'verify_ca'));
      assert.equal(codeOf(result), 'tls_unverified', messageOf(result));
      assert.match(messageOf(result), /not signed by the CA certificate of this connection/);
      assert.ok(impostor.connections() >= 1);
      assert.ok(!impostor.received().includes(password), 'the impostor never received the password');
    });

    test('verify_full also refuses a certificate issued for another host name; verify_ca does not check names', async () => {
      const host = kind === 'postgres' ? '127.0.0.1' : 'localhost';
      const full = await testConnectionConfig(config(misnamed, 'verify_full', { host }));
      assert.equal(codeOf(full), 'tls_unverified', messageOf(full));
      assert.match(messageOf(full), new RegExp(`not issued for "${host}"`));
      assert.ok(!misnamed.received().includes(password));
      const caOnly = await testConnectionConfig(config(misnamed, 'verify_ca'));
      assert.equal(codeOf(caOnly), 'auth_failed', messageOf(caOnly));
    });

    test('verify_full accepts the right CA and name, by host name (and by IP address where the driver can check one)', async () => {
      const result = await testConnectionConfig(config(genuine, 'verify_full', { host: 'localhost' }));
      assert.equal(codeOf(result), 'auth_failed', messageOf(result));
      if (kind === 'postgres') {
        const byAddress = await testConnectionConfig(config(genuine, 'verify_full'));
        assert.equal(codeOf(byAddress), 'auth_failed', messageOf(byAddress));
      } else {
        // mysql2 would check the names against "localhost" for any IP address: refused instead.
        await assert.rejects(testConnectionConfig(config(genuine, 'verify_full')), (error: unknown) => {
          assert.ok(error instanceof AppError && error.status === 422, String(error));
          assert.equal(error.issues[0].path, 'body.host');
          return true;
        });
        const misnamedByName = await testConnectionConfig(config(misnamed, 'verify_full', { host: 'localhost' }));
        assert.equal(codeOf(misnamedByName), 'tls_unverified', messageOf(misnamedByName));
        assert.match(messageOf(misnamedByName), /not issued for "localhost"/);
      }
    });

    test('without a CA certificate only the system authorities are trusted', async () => {
      const result = await testConnectionConfig(config(genuine, 'verify_full', { host: 'localhost', sslCaCertificate: undefined }));
      assert.equal(codeOf(result), 'tls_unverified', messageOf(result));
      assert.match(messageOf(result), /not signed by an authority this Ferry server trusts \(system CAs\)/);
    });

    test('require encrypts towards anyone: the impostor reads the password (what the form warns about)', async () => {
      const before = impostor.received().length;
      await testConnectionConfig(config(impostor, 'require'));
      assert.ok(impostor.received().slice(before).includes(password));
    });
  });
}
