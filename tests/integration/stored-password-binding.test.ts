import './support/test-env';
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { createConnection, updateConnection } from '@/lib/saved-connections/save-connection';
import { testConnectionConfig } from '@/lib/saved-connections/test-connection';
import type { ConnectionConfig } from '@/lib/schemas/connection-config';
import { canonicalCaCertificate } from '@/lib/crypto/ca-certificates';
import { createTestAuthority } from '../security/support/tls-certificates';
import { testAdmin } from './support/fixtures';

/**
 * A stored password goes only where it was saved for: an edit that points the
 * connection elsewhere must not send it there (a listener would receive it).
 */
let actor: Actor;
let listener: net.Server;
let port = 0;
let connections = 0;

const saved: ConnectionConfig = {
  name: `binding ${Date.now()}`,
  kind: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  database: 'postgres',
  username: 'postgres',
  password: 'the-stored-secret',
  sslMode: 'disable',
  schema: 'public',
};

const refusedOnPassword = (error: unknown) => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.status, 422);
  assert.deepEqual(error.issues.map((i) => i.path), ['body.password']);
  assert.match(error.issues[0].message, /entered again/);
  return true;
};

before(async () => {
  actor = await testAdmin();
  listener = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await disconnectPrisma();
});

describe('a stored password is bound to its host, port, kind, user and database', () => {
  test('testing an edit that points elsewhere without retyping the password is refused, and nothing connects there', async () => {
    const connection = await createConnection(actor, saved);
    const elsewhere = { ...saved, password: undefined, port };
    await assert.rejects(testConnectionConfig(elsewhere, connection.id), refusedOnPassword);
    await assert.rejects(testConnectionConfig({ ...saved, password: '', username: 'someone_else' }, connection.id), refusedOnPassword);
    await assert.rejects(testConnectionConfig({ ...saved, password: undefined, database: 'other' }, connection.id), refusedOnPassword);
    assert.equal(connections, 0, 'no connection reached the other host');
    // Same place: the stored password is used as before.
    assert.equal((await testConnectionConfig({ ...saved, password: undefined }, connection.id)).ok, true);
    // Retyped: the user knows the password, so it may go to the new place.
    await testConnectionConfig({ ...elsewhere, password: 'typed-again' }, connection.id);
    assert.equal(connections, 1);
  });

  test('saving an edit that moves the connection keeps nothing unless the password is typed again', async () => {
    const connection = await createConnection(actor, { ...saved, name: `${saved.name} save` });
    await assert.rejects(updateConnection(actor, connection.id, { ...saved, name: `${saved.name} save`, password: undefined, host: 'LOCALHOST.example' }), refusedOnPassword);
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: connection.id }, select: { host: true } });
    assert.equal(row.host, '127.0.0.1', 'the refused edit changed nothing');
    // A change of anything else (the name, the SSL mode) keeps the stored password.
    const renamed = await updateConnection(actor, connection.id, { ...saved, name: `${saved.name} renamed`, password: undefined, host: '127.0.0.1' });
    assert.equal(renamed.hasPassword, true);
    const moved = await updateConnection(actor, connection.id, { ...saved, name: `${saved.name} renamed`, password: 'typed-again', port: 5433 });
    assert.equal(moved.port, 5433);
  });
});

describe('a stored password is bound to TLS at least as strict as it was saved with', () => {
  const ours = createTestAuthority('Binding CA');
  const theirs = createTestAuthority('Another CA');
  const strict: ConnectionConfig = { ...saved, name: `${saved.name} tls`, sslMode: 'verify_full', sslCaCertificate: ours.certificate };

  test('a weaker SSL mode or another CA needs the password again, for a test and for a save', async () => {
    const connection = await createConnection(actor, strict);
    const weakened: ConnectionConfig[] = [
      { ...strict, sslMode: 'verify_ca' },
      { ...strict, sslMode: 'require' },
      { ...strict, sslMode: 'prefer' },
      { ...strict, sslMode: 'disable' },
      { ...strict, sslCaCertificate: theirs.certificate },
      { ...strict, sslCaCertificate: `${ours.certificate}${theirs.certificate}` },
      { ...strict, sslCaCertificate: undefined },
    ];
    for (const config of weakened) {
      await assert.rejects(testConnectionConfig({ ...config, password: undefined }, connection.id), refusedOnPassword);
      await assert.rejects(updateConnection(actor, connection.id, { ...config, password: undefined }), refusedOnPassword);
    }
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: connection.id }, select: { sslMode: true, sslCaCertificate: true } });
    assert.equal(row.sslMode, 'verify_full');
    assert.equal(row.sslCaCertificate, canonicalCaCertificate(ours.certificate));
    // The same CA pasted differently is the same CA.
    const repasted = `# our CA\r\n${ours.certificate.replaceAll('\n', '\r\n')}`;
    assert.equal((await updateConnection(actor, connection.id, { ...strict, password: undefined, sslCaCertificate: repasted })).hasPassword, true);
    // Typed again, the user vouches for the new settings.
    const moved = await updateConnection(actor, connection.id, { ...strict, password: 'typed-again', sslMode: 'require' });
    assert.equal(moved.sslMode, 'require');
  });

  test('stricter TLS keeps the stored password', async () => {
    const connection = await createConnection(actor, { ...strict, name: `${strict.name} stricter`, sslMode: 'require', sslCaCertificate: undefined });
    const stricter = await updateConnection(actor, connection.id, { ...strict, name: `${strict.name} stricter`, password: undefined, sslMode: 'verify_ca' });
    assert.equal(stricter.hasPassword, true);
    assert.equal(stricter.sslCaCertificate, canonicalCaCertificate(ours.certificate) ?? undefined);
    const full = await updateConnection(actor, connection.id, { ...strict, name: `${strict.name} stricter`, password: undefined });
    assert.equal(full.sslMode, 'verify_full');
  });
});

