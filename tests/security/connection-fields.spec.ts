import { expect, test } from '@playwright/test';
import { clientAs } from './support/api';

// Issue 17, item 10: control characters in connection fields end up in logs, audit entries
// and connection strings, where a line break forges a log line and an escape sequence
// rewrites a terminal. Every field refuses them with 422 naming the field, and nothing is saved.

const valid = { kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'crm', username: 'ferry', sslMode: 'disable' };

test('control characters in any connection field are refused with 422 on that field, and nothing is saved', async () => {
  const admin = await clientAs('admin');
  const name = `fields ${Date.now()}`;
  const attacks: [string, Record<string, unknown>][] = [
    ['name', { name: `${name}\r\n2026-01-01 INFO admin deleted everything` }],
    ['name', { name: `${name}\u001b[2J` }],
    ['name', { name: `${name}\ttab` }],
    ['host', { name, host: '127.0.0.1\nevil.example' }],
    ['database', { name, database: 'crm\u0000' }],
    ['database', { name, database: 'crm\u0007bell' }],
    ['username', { name, username: 'ferry\nadmin' }],
    ['schema', { name, schema: 'public\u007f' }],
    ['password', { name, password: 'secret\n' }],
  ];
  for (const [field, attack] of attacks) {
    for (const send of [
      () => admin.post('/api/connections', { data: { ...valid, ...attack } }),
      () => admin.post('/api/connections/test', { data: { ...valid, ...attack } }),
    ]) {
      const response = await send();
      const text = await response.text();
      expect(response.status(), `${field}: ${text}`).toBe(422);
      expect(JSON.parse(text).error.issues.map((i: { path: string }) => i.path), text).toEqual([`body.${field}`]);
    }
  }
  const list = await (await admin.get('/api/connections')).json();
  expect(list.connections.filter((c: { name: string }) => c.name.startsWith(name))).toEqual([]);

  // The same fields without the control characters are accepted.
  const created = await admin.post('/api/connections', { data: { ...valid, name, password: 'p@ss wörd' } });
  expect(created.status(), await created.text()).toBe(200);
});
