'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useConnections, useTable, useTables } from '@/hooks/use-connections';
import { useCreateMapping } from '@/hooks/use-mappings';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { Field, Select, TextInput } from '@/components/ui/field';
import { emptyDraft } from './create-draft';
import type { DraftUpdate, MappingDraft } from './mapping-draft';
import { MappingEditor, type EditorActionsContext } from './mapping-editor';
import { serverSpecIssues, type EditorIssue } from './mapping-issues';
import { SaveBox } from './save-box';

type FormIssues = Partial<Record<'name' | 'sourceConnectionId' | 'targetConnectionId' | 'comment', string>>;

export function NewMapping({ initialSource }: { initialSource?: { connectionId: string; table: string } }) {
  const router = useRouter();
  const connections = useConnections();
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [sourceConnectionId, setSourceConnectionId] = useState(initialSource?.connectionId ?? '');
  const [sourceTableName, setSourceTableName] = useState(initialSource?.connectionId ? initialSource.table : '');
  const [targetConnectionId, setTargetConnectionId] = useState('');
  const [targetTableName, setTargetTableName] = useState('');
  const [formIssues, setFormIssues] = useState<FormIssues>({});
  const [serverIssues, setServerIssues] = useState<EditorIssue[]>([]);
  const sourceTables = useTables(sourceConnectionId || undefined);
  const targetTables = useTables(targetConnectionId || undefined);
  const sourceTable = useTable(sourceConnectionId || undefined, sourceTableName || undefined);
  const targetTable = useTable(targetConnectionId || undefined, targetTableName || undefined);
  const create = useCreateMapping();

  // The draft belongs to one pair of tables; choosing other tables starts over.
  const pairKey = `${sourceConnectionId}/${sourceTableName} → ${targetConnectionId}/${targetTableName}`;
  const [state, setState] = useState<{ key: string; draft: MappingDraft } | null>(null);
  const ready = !!sourceTableName && !!targetTableName && !!sourceTable.data && !!targetTable.data;
  useEffect(() => {
    if (ready && sourceTable.data && targetTable.data && state?.key !== pairKey) {
      setState({ key: pairKey, draft: emptyDraft(sourceTable.data, sourceTableName, targetTable.data, targetTableName) });
      setServerIssues([]);
    }
  }, [ready, pairKey, state?.key, sourceTable.data, targetTable.data, sourceTableName, targetTableName]);
  const draft = state?.key === pairKey ? state.draft : null;

  const onChange: DraftUpdate = (change) => {
    setState((current) => (current ? { ...current, draft: change(current.draft) } : current));
    setServerIssues([]);
  };

  async function onCreate(context: EditorActionsContext) {
    const issues: FormIssues = {};
    if (name.trim() === '') issues.name = 'is required';
    setFormIssues(issues);
    if (Object.keys(issues).length > 0 || !context.spec || context.errorCount > 0) return;
    try {
      const created = await create.mutateAsync({
        name: name.trim(),
        sourceConnectionId,
        targetConnectionId,
        spec: context.spec,
        comment: comment.trim() || undefined,
      });
      router.push(`/mappings/${created.id}`);
    } catch (error) {
      if (error instanceof ApiError) {
        setServerIssues(serverSpecIssues(error.issues));
        const fields: FormIssues = {};
        for (const issue of error.issues) {
          const key = issue.path.replace(/^body\./, '') as keyof FormIssues;
          if (key === 'name' || key === 'sourceConnectionId' || key === 'targetConnectionId' || key === 'comment') fields[key] = issue.message;
        }
        setFormIssues(fields);
      }
    }
  }

  const connectionOptions = (connections.data ?? []).map((c) => (
    <option key={c.id} value={c.id}>
      {c.name} ({c.kind === 'postgres' ? 'PostgreSQL' : c.kind === 'csv' ? 'CSV files' : 'MySQL/MariaDB'})
    </option>
  ));
  const tableOptions = (tables: typeof sourceTables) =>
    (tables.data ?? []).map((t) => (
      <option key={t.name} value={t.name}>
        {t.name} · ~{t.estimatedRows.toLocaleString()} rows
      </option>
    ));
  const tablePlaceholder = (connectionId: string, tables: typeof sourceTables) =>
    !connectionId ? 'Choose a connection first' : tables.isLoading ? 'Reading tables…' : tables.error ? 'Could not read tables' : 'Choose a table…';

  const createError = create.error instanceof ApiError && create.error.issues.length > 0 ? null : create.error;

  return (
    <>
      <PageHeader
        title="New mapping"
        subtitle={
          <Link href="/mappings" className="text-indigo-700 hover:underline">
            ← Mappings
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="Name, source and target">
          <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto_minmax(0,2fr)]">
            <Field label="Name" error={formIssues.name}>
              <TextInput name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Customers → contacts" invalid={!!formIssues.name} />
            </Field>
            <fieldset className="grid grid-cols-2 gap-3 rounded-md border border-slate-200 px-3 pb-3">
              <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Source (legacy)</legend>
              <Field label="Source connection" error={formIssues.sourceConnectionId}>
                <Select
                  value={sourceConnectionId}
                  onChange={(e) => {
                    setSourceConnectionId(e.target.value);
                    setSourceTableName('');
                  }}
                >
                  <option value="">{connections.isLoading ? 'Loading…' : 'Choose…'}</option>
                  {connectionOptions}
                </Select>
              </Field>
              <Field label="Source table">
                <Select value={sourceTableName} onChange={(e) => setSourceTableName(e.target.value)} disabled={!sourceConnectionId || !sourceTables.data}>
                  <option value="">{tablePlaceholder(sourceConnectionId, sourceTables)}</option>
                  {tableOptions(sourceTables)}
                </Select>
              </Field>
            </fieldset>
            <div aria-hidden className="hidden items-center pt-4 text-xl text-slate-300 lg:flex">
              →
            </div>
            <fieldset className="grid grid-cols-2 gap-3 rounded-md border border-slate-200 px-3 pb-3">
              <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Target (new)</legend>
              <Field label="Target connection" error={formIssues.targetConnectionId}>
                <Select
                  value={targetConnectionId}
                  onChange={(e) => {
                    setTargetConnectionId(e.target.value);
                    setTargetTableName('');
                  }}
                >
                  <option value="">{connections.isLoading ? 'Loading…' : 'Choose…'}</option>
                  {connectionOptions}
                </Select>
              </Field>
              <Field label="Target table">
                <Select value={targetTableName} onChange={(e) => setTargetTableName(e.target.value)} disabled={!targetConnectionId || !targetTables.data}>
                  <option value="">{tablePlaceholder(targetConnectionId, targetTables)}</option>
                  {tableOptions(targetTables)}
                </Select>
              </Field>
            </fieldset>
          </div>
          <div className="mt-3 space-y-2">
            <ErrorNotice error={connections.error} />
            <ErrorNotice error={sourceTables.error ?? sourceTable.error} />
            <ErrorNotice error={targetTables.error ?? targetTable.error} />
          </div>
        </Card>

        {!draft ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-500">
            {sourceTableName && targetTableName ? 'Reading both tables…' : 'Choose a source table and a target table to start mapping.'}
          </p>
        ) : (
          sourceTable.data &&
          targetTable.data && (
            <MappingEditor
              draft={draft}
              onChange={onChange}
              sourceTable={sourceTable.data}
              targetTable={targetTable.data}
              sourceConnectionId={sourceConnectionId}
              targetConnectionId={targetConnectionId}
              readOnly={false}
              serverIssues={serverIssues}
              renderActions={(context) => (
                <SaveBox
                  title="Create"
                  buttonLabel="Create mapping"
                  pendingLabel="Creating…"
                  comment={comment}
                  onComment={setComment}
                  commentError={formIssues.comment}
                  errorCount={context.errorCount}
                  pending={create.isPending}
                  onSave={() => onCreate(context)}
                  status={null}
                  error={createError}
                />
              )}
            />
          )
        )}
      </div>
    </>
  );
}
