'use client';
import { useState } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useTable } from '@/hooks/use-connections';
import { useMapping } from '@/hooks/use-mappings';
import type { SyncSettings } from '@/lib/schemas/sync-settings';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, Select, TextInput } from '@/components/ui/field';
import { draftOf, settingsOf, type SyncDraft } from './sync-draft';

const CURSOR_FAMILIES = new Set(['integer', 'timestamp', 'timestamptz', 'date']);
const MARK_FAMILIES = new Set(['timestamp', 'timestamptz', 'date', 'boolean', 'integer']);

/**
 * The settings of a sync, to create one (Keep in sync on the mapping page) or to change a
 * stopped one. Columns are offered from the mapping's tables (cursor: timestamp or integer
 * source columns; mark: target columns a deletion can set). The server checks everything
 * again; its messages are shown under the field they name.
 */
export function SyncSettingsForm({
  mappingId,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  mappingId: string;
  initial?: SyncSettings;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (settings: SyncSettings) => void;
  onCancel?: () => void;
}) {
  const mapping = useMapping(mappingId);
  const source = useTable(mapping.data?.sourceConnection.id, mapping.data?.sourceTable);
  const target = useTable(mapping.data?.targetConnection.id, mapping.data?.targetTable);
  const [draft, setDraft] = useState<SyncDraft>(() => draftOf(initial));
  const set = <K extends keyof SyncDraft>(key: K) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: event.target.value as SyncDraft[K] }));

  const issues = error instanceof ApiError ? error.issues : [];
  const issueOf = (field: string) => issues.find((i) => i.path === `body.settings.${field}`)?.message;
  const shown = new Set(['mode', 'cursorColumn', 'lagMs', 'everySeconds', 'cron', 'timeZone', 'deletePolicy', 'markColumn', 'softDeleteColumn', 'reconcileMinutes', 'initialLoad', 'verifyMinutes'].map((f) => `body.settings.${f}`));
  const other = issues.filter((i) => !shown.has(i.path));
  const general = error && issues.length === 0 ? error : other.length > 0 ? other.map((i) => `${i.path.replace(/^body\./, '')} ${i.message}`).join('; ') : null;

  const sourceColumns = source.data?.columns ?? [];
  const targetColumns = target.data?.columns ?? [];
  const cursor = draft.mode === 'cursor';
  const columnOptions = (columns: typeof sourceColumns, families: Set<string> | null) =>
    columns
      .filter((c) => !families || families.has(c.family))
      .map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.dataType})
        </option>
      ));

  return (
    <form
      data-testid="sync-settings-form"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(settingsOf(draft));
      }}
    >
      <div className="grid gap-3 md:grid-cols-2">
        <Field label="Mode" error={issueOf('mode')} hint={cursor ? 'Reads rows whose cursor column grew, on a schedule' : 'Reads the source’s change log (PostgreSQL slot, MariaDB/MySQL binlog) continuously'}>
          <Select aria-label="Mode" value={draft.mode} onChange={set('mode')}>
            <option value="log">Change log</option>
            <option value="cursor">Cursor column</option>
          </Select>
        </Field>
        <Field label="Initial load" error={issueOf('initialLoad')} hint="A full load first, or only changes made from now on">
          <Select aria-label="Initial load" value={draft.initialLoad} onChange={set('initialLoad')}>
            <option value="full">Full load, then changes</option>
            <option value="from_now">Changes from now on</option>
          </Select>
        </Field>
        {cursor && (
          <>
            <Field label="Cursor column" error={issueOf('cursorColumn')} hint="A timestamp or integer source column that grows on every change">
              <Select aria-label="Cursor column" value={draft.cursorColumn} onChange={set('cursorColumn')} invalid={!!issueOf('cursorColumn')}>
                <option value="">Choose a column…</option>
                {columnOptions(sourceColumns, CURSOR_FAMILIES)}
              </Select>
            </Field>
            <Field label="Lag (ms)" error={issueOf('lagMs')} hint="Rows are read up to the source clock minus this (late commits)">
              <TextInput aria-label="Lag (ms)" type="number" min={0} value={draft.lagMs} onChange={set('lagMs')} invalid={!!issueOf('lagMs')} />
            </Field>
            <Field label="Schedule" error={draft.schedule === 'cron' ? issueOf('everySeconds') : undefined}>
              <Select aria-label="Schedule" value={draft.schedule} onChange={set('schedule')}>
                <option value="every">Every N seconds</option>
                <option value="cron">Cron pattern</option>
              </Select>
            </Field>
            {draft.schedule === 'every' ? (
              <Field label="Every (seconds)" error={issueOf('everySeconds')}>
                <TextInput aria-label="Every (seconds)" type="number" min={1} value={draft.everySeconds} onChange={set('everySeconds')} invalid={!!issueOf('everySeconds')} />
              </Field>
            ) : (
              <div className="grid grid-cols-2 gap-3">
                <Field label="Cron" error={issueOf('cron')} hint="minute hour day month weekday">
                  <TextInput aria-label="Cron" value={draft.cron} onChange={set('cron')} placeholder="*/5 * * * *" invalid={!!issueOf('cron')} />
                </Field>
                <Field label="Time zone" error={issueOf('timeZone')}>
                  <TextInput aria-label="Time zone" value={draft.timeZone} onChange={set('timeZone')} invalid={!!issueOf('timeZone')} />
                </Field>
              </div>
            )}
          </>
        )}
        <Field label="Deletions" error={issueOf('deletePolicy')} hint="What a row deleted in the source does to the target">
          <Select aria-label="Deletions" value={draft.deletePolicy} onChange={set('deletePolicy')}>
            <option value="apply">Delete the target row</option>
            <option value="mark">Mark the target row</option>
            <option value="ignore">Ignore</option>
          </Select>
        </Field>
        {draft.deletePolicy === 'mark' && (
          <Field label="Mark column" error={issueOf('markColumn')} hint="A target timestamp gets the time of the deletion, a boolean true">
            <Select aria-label="Mark column" value={draft.markColumn} onChange={set('markColumn')} invalid={!!issueOf('markColumn')}>
              <option value="">Choose a column…</option>
              {columnOptions(targetColumns, MARK_FAMILIES)}
            </Select>
          </Field>
        )}
        {cursor && (
          <>
            <Field label="Soft-delete column" error={issueOf('softDeleteColumn')} hint="Optional: a source column that says a row is deleted (not null, or true)">
              <Select aria-label="Soft-delete column" value={draft.softDeleteColumn} onChange={set('softDeleteColumn')}>
                <option value="">None</option>
                {columnOptions(sourceColumns, null)}
              </Select>
            </Field>
            <Field label="Reconcile keys every (minutes)" error={issueOf('reconcileMinutes')} hint="Finds rows deleted in the source; 0 never">
              <TextInput aria-label="Reconcile minutes" type="number" min={0} value={draft.reconcileMinutes} onChange={set('reconcileMinutes')} invalid={!!issueOf('reconcileMinutes')} />
            </Field>
          </>
        )}
        <Field label="Verify every (minutes)" error={issueOf('verifyMinutes')} hint="Consistency C while the sync runs; 0 never">
          <TextInput aria-label="Verify minutes" type="number" min={0} value={draft.verifyMinutes} onChange={set('verifyMinutes')} invalid={!!issueOf('verifyMinutes')} />
        </Field>
      </div>
      <ErrorNotice error={general} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
