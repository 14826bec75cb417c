'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useStartMigration } from '@/hooks/use-jobs';
import { errorPolicySchema, jobOptionsSchema, type ErrorPolicy } from '@/lib/schemas/job-request';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, Select, TextInput } from '@/components/ui/field';
import { describeLimits, inputLimits, numberLimits, outsideLimits, type NumberLimits } from './number-limits';

/** The number options of the run panel, by their path under `options` in the request. */
const numberFields = {
  chunkRows: { label: 'Rows per chunk', hint: 'Chunks run in parallel on all workers', limits: numberLimits(jobOptionsSchema.shape.chunkRows) },
  batchRows: { label: 'Rows per batch', hint: 'Checkpointed after each batch', limits: numberLimits(jobOptionsSchema.shape.batchRows) },
  maxParallelChunks: { label: 'Chunks at once', hint: '0: as many as the workers take', limits: numberLimits(jobOptionsSchema.shape.maxParallelChunks) },
  waitForDatabaseMinutes: {
    label: 'Wait for a database (min)',
    hint: 'While a database is down the job waits, then pauses; empty: the server default',
    limits: numberLimits(jobOptionsSchema.shape.waitForDatabaseMinutes),
  },
  'errorPolicy.maxFailedRows': { label: 'Failed rows limit', hint: 'More failed rows than this trips the policy', limits: numberLimits(errorPolicySchema.shape.maxFailedRows) },
  'errorPolicy.maxFailedPercent': { label: 'Failed % limit', hint: 'Share of rows read that failed', limits: numberLimits(errorPolicySchema.shape.maxFailedPercent) },
} satisfies Record<string, { label: string; hint: string; limits: NumberLimits }>;
type NumberField = keyof typeof numberFields;

const defaults = jobOptionsSchema.parse({});
const policyActions = errorPolicySchema.shape.action.unwrap().options;
const actionLabels: Record<ErrorPolicy['action'], string> = {
  continue: 'Continue (list failed rows)',
  pause: 'Pause past a limit',
  stop: 'Stop past a limit',
};

/** Blank means "the default"; anything else is sent as typed, so the server's limits decide. */
const asNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

/**
 * Admins start a migration of a mapping's latest version: chunking, parallelism and the error
 * policy, with the limits the server checks shown on the inputs. A refused value is named
 * next to its field; a full reload needs the table name typed.
 */
export function StartMigration({ mappingId, targetTable, latestVersion }: { mappingId: string; targetTable: string; latestVersion: number }) {
  const router = useRouter();
  const canControl = useCan('jobs:control');
  const start = useStartMigration();
  const [values, setValues] = useState<Record<NumberField, string>>({
    chunkRows: String(defaults.chunkRows),
    batchRows: String(defaults.batchRows),
    maxParallelChunks: String(defaults.maxParallelChunks),
    waitForDatabaseMinutes: '',
    'errorPolicy.maxFailedRows': '',
    'errorPolicy.maxFailedPercent': '',
  });
  const [action, setAction] = useState<ErrorPolicy['action']>(defaults.errorPolicy.action);
  const [fullReload, setFullReload] = useState(false);
  const [confirm, setConfirm] = useState('');
  if (!canControl) return <p className="text-sm text-slate-500">Only admins start migrations.</p>;

  const issues = start.error instanceof ApiError ? start.error.issues : [];
  const issueOf = (field: string) => issues.find((i) => i.path === `body.options.${field}`)?.message;
  /** The field's message: its limits when the value broke them, else what the server said. */
  const errorOf = (field: NumberField) => {
    const message = issueOf(field);
    const value = asNumber(values[field]);
    if (!message) return undefined;
    return value !== undefined && outsideLimits(value, numberFields[field].limits) ? `must be ${describeLimits(numberFields[field].limits)}` : message;
  };
  const shownPaths = new Set([...Object.keys(numberFields), 'errorPolicy.action'].map((f) => `body.options.${f}`).concat('body.confirmFullReload'));
  // Anything not about a field on this panel (a conflict, an unknown mapping) is said above the button.
  const otherIssues = issues.filter((i) => !shownPaths.has(i.path));
  const generalError =
    start.error && issues.length === 0 ? start.error : otherIssues.length > 0 ? otherIssues.map((i) => `${i.path.replace(/^body\./, '')} ${i.message}`).join('; ') : null;

  function run() {
    const errorPolicy: ErrorPolicy =
      action === 'continue'
        ? { action }
        : { action, maxFailedRows: asNumber(values['errorPolicy.maxFailedRows']), maxFailedPercent: asNumber(values['errorPolicy.maxFailedPercent']) };
    const request = {
      mappingId,
      options: {
        chunkRows: asNumber(values.chunkRows),
        batchRows: asNumber(values.batchRows),
        maxParallelChunks: asNumber(values.maxParallelChunks),
        waitForDatabaseMinutes: asNumber(values.waitForDatabaseMinutes),
        fullReload,
        errorPolicy,
      },
      confirmFullReload: fullReload ? confirm : undefined,
    };
    start.mutate(request, { onSuccess: (job) => router.push(`/jobs/${job.id}`) });
  }

  const numberInput = (field: NumberField) => {
    const { label, hint, limits } = numberFields[field];
    const error = errorOf(field);
    return (
      <Field key={field} label={label} error={error} hint={`${hint} · ${describeLimits(limits)}`}>
        <TextInput
          type="number"
          inputMode="numeric"
          {...inputLimits(limits)}
          invalid={!!error}
          value={values[field]}
          onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
        />
      </Field>
    );
  };

  return (
    <div className="space-y-3">
      <div className="grid grid-cols-2 gap-3">
        {numberInput('chunkRows')}
        {numberInput('batchRows')}
        {numberInput('maxParallelChunks')}
        {numberInput('waitForDatabaseMinutes')}
        <label className="mt-6 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={fullReload} onChange={(e) => setFullReload(e.target.checked)} />
          Full reload (empty <span className="font-mono">{targetTable}</span> first)
        </label>
      </div>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">When rows fail</legend>
        <Field label="Error policy" error={issueOf('errorPolicy.action')}>
          <Select value={action} onChange={(e) => setAction(e.target.value as ErrorPolicy['action'])}>
            {policyActions.map((a) => (
              <option key={a} value={a}>
                {actionLabels[a]}
              </option>
            ))}
          </Select>
        </Field>
        {action !== 'continue' && (
          <div className="grid grid-cols-2 gap-3">
            {numberInput('errorPolicy.maxFailedRows')}
            {numberInput('errorPolicy.maxFailedPercent')}
          </div>
        )}
      </fieldset>
      {fullReload && (
        <Field label="Type the target table name to confirm" error={issues.find((i) => i.path === 'body.confirmFullReload')?.message}>
          <TextInput value={confirm} onChange={(e) => setConfirm(e.target.value)} placeholder={targetTable} />
        </Field>
      )}
      <ErrorNotice error={generalError} />
      <Button onClick={run} disabled={start.isPending || (fullReload && confirm !== targetTable)}>
        {start.isPending ? 'Starting…' : `Run migration (v${latestVersion})`}
      </Button>
    </div>
  );
}
