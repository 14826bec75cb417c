import './support/test-env';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { listAudit } from '@/lib/audit/list-audit';
import { auditQuerySchema } from '@/lib/audit/audit-query';
import { prisma } from '@/lib/db/client';

// The audit list: keyset pages over entries that share a timestamp, filters, and secrets
// redacted on read even in entries written before the redaction covered them.
const entityId = randomUUID();
const at = new Date('2026-06-01T12:00:00.000Z');

const page = (query: Record<string, string>) => listAudit(auditQuerySchema.parse({ entityType: 'connection', entityId, ...query }));

before(async () => {
  // 120 entries in the same millisecond (a bulk change), then one a day later.
  await prisma().auditEntry.createMany({
    data: Array.from({ length: 120 }, (_, i) => ({ at, actorEmail: 'it@ferry.test', action: 'connection.update', entityType: 'connection', entityId, before: { port: i }, after: { port: i + 1 } })),
  });
  await prisma().auditEntry.create({
    data: {
      at: new Date('2026-06-02T08:00:00.000Z'),
      actorEmail: 'it@ferry.test',
      action: 'connection.update',
      entityType: 'connection',
      entityId,
      // As an old entry could hold them: a raw api key and a nested token.
      before: { host: 'db1', options: { apiKey: 'AKIA-OLD', list: [{ access_token: 'tok-old' }] } },
      after: { host: 'db2', options: { apiKey: 'AKIA-NEW', list: [{ access_token: 'tok-new' }] }, hasPassword: true },
    },
  });
});

after(async () => {
  await prisma().auditEntry.deleteMany({ where: { entityId } });
});

describe('listAudit', () => {
  test('pages of 50 by (at, id) cover every entry once, also where timestamps tie, both ways', async () => {
    const seen: number[] = [];
    let current = await page({});
    assert.equal(current.newer, null);
    for (;;) {
      seen.push(...current.entries.map((e) => e.id));
      if (!current.older) break;
      current = await page({ before: current.older });
      assert.ok(current.newer, 'an older page has a newer one');
    }
    assert.equal(seen.length, 121);
    assert.equal(new Set(seen).size, 121);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');

    const back = await page({ after: current.newer! });
    assert.equal(back.entries.length, 50);
    assert.deepEqual(back.entries.map((e) => e.id), seen.slice(50, 100));
  });

  test('a date range filters by day, the `to` day included', async () => {
    assert.equal((await page({ from: '2026-06-02' })).entries.length, 1);
    assert.equal((await page({ to: '2026-06-01' })).entries.length, 50);
    assert.equal((await page({ from: '2026-06-01', to: '2026-06-01' })).older !== null, true);
    assert.equal((await page({ from: '2026-06-03' })).entries.length, 0);
  });

  test('secrets in stored entries never come out, and only changed fields do', async () => {
    const [newest] = (await page({})).entries;
    const text = JSON.stringify(newest);
    for (const secret of ['AKIA-OLD', 'AKIA-NEW', 'tok-old', 'tok-new']) assert.ok(!text.includes(secret), secret);
    assert.deepEqual(newest.changes, [
      { path: 'host', before: 'db1', after: 'db2' },
      { path: 'hasPassword', before: undefined, after: true },
    ]);
    assert.equal(newest.entity.state, 'gone');
  });

  test('bad filters are refused with the field named', () => {
    for (const [query, path] of [
      [{ from: '2026-02-30' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ from: '2026-06-02', to: '2026-06-01' }, 'to'],
      [{ before: '12' }, 'before'],
      [{ actorId: 'me' }, 'actorId'],
      [{ entityType: 'Robert"); DROP' }, 'entityType'],
    ] as const) {
      const parsed = auditQuerySchema.safeParse(query);
      assert.equal(parsed.success, false, JSON.stringify(query));
      assert.equal(parsed.error!.issues[0].path.join('.'), path);
    }
  });
});
