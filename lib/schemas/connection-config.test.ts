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
