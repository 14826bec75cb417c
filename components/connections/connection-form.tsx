'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { ApiError } from '@/hooks/api-client';
import { useSaveConnection, useTestConnection } from '@/hooks/use-connections';
import { connectionConfigSchema, defaultPorts, sslModes, type ConnectionConfig, type ConnectionView } from '@/lib/schemas/connection-config';
import { Button } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { ConnectionTestResultView } from './connection-test-result';

type FormState = Record<keyof ConnectionConfig, string>;

const emptyForm: FormState = {
  name: '',
  kind: 'postgres',
  host: '127.0.0.1',
  port: '5432',
  database: '',
  username: '',
  password: '',
  sslMode: 'prefer',
  schema: '',
  timestampZone: 'UTC',
};

function fromView(view: ConnectionView): FormState {
  return { ...emptyForm, ...view, port: String(view.port), schema: view.schema ?? '', timestampZone: view.timestampZone ?? 'UTC', password: '' };
}


export function ConnectionForm({ existing, readOnly = false }: { existing?: ConnectionView; readOnly?: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState<FormState>(existing ? fromView(existing) : emptyForm);
  const [issues, setIssues] = useState<Record<string, string>>({});
  // The zones this browser knows, offered as suggestions (any IANA name is accepted); read
  // after mounting, since the server's list may differ.
  const [knownZones, setKnownZones] = useState<string[]>([]);
  useEffect(() => setKnownZones(Intl.supportedValuesOf('timeZone')), []);
  const save = useSaveConnection(existing?.id);
  const test = useTestConnection();

  const set = (key: keyof FormState) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setForm((f) => {
      const next = { ...f, [key]: value };
      // Switching database kind moves the port along unless the user typed their own.
      if (key === 'kind' && (f.port === String(defaultPorts.postgres) || f.port === String(defaultPorts.mysql))) {
        next.port = String(defaultPorts[value as ConnectionConfig['kind']]);
      }
      return next;
    });
  };

  function parse(): ConnectionConfig | null {
    const parsed = connectionConfigSchema.safeParse(form);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return null;
    }
    setIssues({});
    return parsed.data;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const config = parse();
    if (!config) return;
    try {
      const saved = await save.mutateAsync(config);
      router.push(`/connections/${saved.id}`);
      router.refresh();
    } catch (error) {
      if (error instanceof ApiError) setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^body\./, ''), i.message])));
    }
  }

  function runTest() {
    const config = parse();
    if (config) test.mutate({ ...config, id: existing?.id });
  }

  const input = (key: keyof FormState, props: { type?: string; placeholder?: string; list?: string } = {}) => (
    <TextInput name={key} value={form[key]} onChange={set(key)} invalid={!!issues[key]} disabled={readOnly} {...props} />
  );

  return (
    <form onSubmit={submit} className="grid max-w-2xl grid-cols-2 gap-4" aria-label="Connection">
      <div className="col-span-2">
        <Field label="Name" error={issues.name}>{input('name', { placeholder: 'Legacy CRM' })}</Field>
      </div>
      <Field label="Database kind" error={issues.kind}>
        <Select name="kind" value={form.kind} onChange={set('kind')} disabled={readOnly}>
          <option value="postgres">PostgreSQL</option>
          <option value="mysql">MySQL / MariaDB</option>
        </Select>
      </Field>
      <Field label="SSL mode" error={issues.sslMode}>
        <Select name="sslMode" value={form.sslMode} onChange={set('sslMode')} disabled={readOnly}>
          {sslModes.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Host" error={issues.host}>{input('host')}</Field>
      <Field label="Port" error={issues.port}>{input('port', { type: 'number' })}</Field>
      <Field label="Database" error={issues.database}>{input('database')}</Field>
      <Field label="Schema" error={issues.schema} hint={form.kind === 'postgres' ? 'Defaults to public' : 'Not used for MySQL'}>
        {input('schema')}
      </Field>
      <Field label="User" error={issues.username}>{input('username')}</Field>
      <Field
        label="Password"
        error={issues.password}
        hint={existing?.hasPassword ? 'A password is stored. Leave empty to keep it.' : 'Stored encrypted; never shown again.'}
      >
        <TextInput name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} disabled={readOnly} />
      </Field>
      <div className="col-span-2">
        <Field
          label="Time zone of timestamps without zone"
          error={issues.timestampZone}
          hint={`${form.kind === 'postgres' ? 'timestamp' : 'DATETIME'} values are wall times in this zone: reads into a column with zone, previews and verification take them so. UTC unless set.`}
        >
          {input('timestampZone', { placeholder: 'UTC', list: 'connection-time-zones' })}
          <datalist id="connection-time-zones">
            {knownZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </Field>
      </div>
      {!readOnly && (
        <div className="col-span-2 flex items-center gap-2">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Create connection'}
          </Button>
          <Button variant="secondary" onClick={runTest} disabled={test.isPending}>
            {test.isPending ? 'Testing…' : 'Test connection'}
          </Button>
        </div>
      )}
      <div className="col-span-2">
        {save.error && !(save.error instanceof ApiError && save.error.issues.length) && (
          <p role="alert" className="text-sm text-red-600">{save.error.message}</p>
        )}
        {test.error && <p role="alert" className="text-sm text-red-600">{test.error.message}</p>}
        {test.data && <ConnectionTestResultView result={test.data} />}
      </div>
    </form>
  );
}
