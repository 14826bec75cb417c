import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { draftOf, settingsOf } from './sync-draft';

test('a new draft is a valid log sync with the server’s defaults', () => {
  const settings = syncSettingsSchema.parse(settingsOf(draftOf()));
  assert.equal(settings.mode, 'log');
  assert.equal(settings.everySeconds, null);
  assert.equal(settings.deletePolicy, 'apply');
});

test('a cursor sync keeps only the fields of its schedule and delete policy, and round-trips', () => {
  const draft = { ...draftOf(), mode: 'cursor' as const, cursorColumn: 'updated_at', schedule: 'cron' as const, cron: '*/5 * * * *', timeZone: 'Europe/Berlin', deletePolicy: 'mark' as const, markColumn: 'deleted_at' };
  const settings = syncSettingsSchema.parse(settingsOf(draft));
  assert.equal(settings.everySeconds, null);
  assert.equal(settings.cron, '*/5 * * * *');
  assert.equal(settings.markColumn, 'deleted_at');
  assert.deepEqual(settingsOf(draftOf(settings)), settingsOf(draft));
});

test('blank numbers take the default; typed ones go as typed for the server to judge', () => {
  const settings = settingsOf({ ...draftOf(), lagMs: '', verifyMinutes: '-3' });
  assert.equal(settings.lagMs, undefined);
  assert.equal(settings.verifyMinutes, -3);
  const parsed = syncSettingsSchema.safeParse(settings);
  assert.equal(parsed.success, false);
  assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['verifyMinutes']);
});
