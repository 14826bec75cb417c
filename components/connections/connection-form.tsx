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
  sslCaCertificate: '',
  schema: '',
  timestampZone: 'UTC',
};

function fromView(view: ConnectionView): FormState {
  return {
    ...emptyForm,
    ...view,
    port: String(view.port),
    schema: view.schema ?? '',
    sslCaCertificate: view.sslCaCertificate ?? '',
    timestampZone: view.timestampZone ?? 'UTC',
    password: '',
  };
}

/**
 * What each SSL mode protects, said where it is chosen: "require" looks safe and is not,
 * since it encrypts towards whoever answers, impostor included.
 */
const sslModeNotes: Record<ConnectionConfig['sslMode'], { text: string; warn: boolean }> = {
  disable: { text: 'No encryption: the password and all data cross the network in clear.', warn: true },
  prefer: {
    text: "Encrypts if the server offers TLS, otherwise sends everything in clear, and never checks the server's certificate.",
    warn: true,
  },
  require: {
    text: "Encrypts, but does not verify the server's certificate: anyone in between (a proxy, a spoofed DNS name) can pose as the server and read the password. Use verify_full where you can.",
    warn: true,
  },
  verify_ca: {
    text: "Encrypts and checks that the server's certificate is signed by the CA certificate below (or, if empty, an authority this server trusts). The host name is not checked.",
    warn: false,
  },
  verify_full: {
    text: "Encrypts and checks the certificate's authority (the CA certificate below, or the system's) and that it was issued for this host name. Recommended.",
    warn: false,
  },
};

const textAreaClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-xs shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500';


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

  const sslNote = sslModeNotes[form.sslMode as ConnectionConfig['sslMode']] ?? sslModeNotes.prefer;
  const verifies = form.sslMode === 'verify_ca' || form.sslMode === 'verify_full';

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
      <p
        data-testid="ssl-mode-note"
        className={`col-span-2 -mt-2 rounded-md px-3 py-2 text-xs ${sslNote.warn ? 'bg-amber-50 text-amber-900' : 'bg-slate-50 text-slate-600'}`}
      >
        <strong>SSL mode {form.sslMode}:</strong> {sslNote.text}
      </p>
      {verifies && (
        <div className="col-span-2">
          <Field
            label="CA certificate"
            error={issues.sslCaCertificate}
            hint="PEM text (-----BEGIN CERTIFICATE----- …) of the authority that signed the server's certificate. Empty: the authorities this server trusts. Changing it asks for the password again."
          >
            <textarea
              name="sslCaCertificate"
              rows={6}
              spellCheck={false}
              value={form.sslCaCertificate}
              onChange={set('sslCaCertificate')}
              disabled={readOnly}
              aria-invalid={!!issues.sslCaCertificate || undefined}
              className={textAreaClass}
              placeholder="-----BEGIN CERTIFICATE-----"
            />
          </Field>
        </div>
      )}
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
        hint={
          existing?.hasPassword
            ? 'A password is stored. Leave empty to keep it; it must be typed again after changing the host, port, kind, database or user, weakening the SSL mode or changing the CA certificate.'
            : 'Stored encrypted; never shown again.'
        }
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
