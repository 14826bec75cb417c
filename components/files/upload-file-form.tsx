'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useCreateSourceFile, type FileSourceView } from '@/hooks/use-file-sources';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, Select, TextInput } from '@/components/ui/field';
import { tableNameFromFile } from './table-name-from-file';
import { UploadProgress } from './upload-progress';
import { useFileUpload } from './use-file-upload';

const NEW_TABLE = '';
/** Long enough to see the finished bar, short enough not to make anyone wait. */
const SHOW_DONE_MS = 1500;

type Issues = Partial<Record<'sourceId' | 'file' | 'tableName' | 'originalName' | 'bytes', string>>;

export function UploadFileForm({ sources, sourceId: presetSourceId }: { sources: FileSourceView[]; sourceId?: string }) {
  const router = useRouter();
  const create = useCreateSourceFile();
  const upload = useFileUpload();
  const [sourceId, setSourceId] = useState(presetSourceId ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [versionOf, setVersionOf] = useState(NEW_TABLE);
  const [tableName, setTableName] = useState('');
  const [tableNameEdited, setTableNameEdited] = useState(false);
  const [issues, setIssues] = useState<Issues>({});

  const source = sources.find((s) => s.id === sourceId);
  const existingTables = [...new Set((source?.files ?? []).map((f) => f.tableName))].sort();
  const busy = create.isPending || upload.state.phase === 'sending';

  useEffect(() => {
    if (!sourceId && sources.length === 1) setSourceId(sources[0].id);
  }, [sourceId, sources]);

  const doneFileId = upload.state.phase === 'done' ? upload.state.fileId : null;
  useEffect(() => {
    if (!doneFileId) return;
    const timer = setTimeout(() => router.push(`/files/${doneFileId}`), SHOW_DONE_MS);
    return () => clearTimeout(timer);
  }, [doneFileId, router]);

  function pickFile(picked: File | null) {
    setFile(picked);
    if (picked && !tableNameEdited) setTableName(tableNameFromFile(picked.name));
    // A file named like an existing table is most likely its next version.
    if (picked && versionOf === NEW_TABLE && existingTables.includes(tableNameFromFile(picked.name))) setVersionOf(tableNameFromFile(picked.name));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Issues = {};
    if (!sourceId) found.sourceId = 'is required';
    if (!file) found.file = 'is required';
    const name = versionOf === NEW_TABLE ? tableName.trim() : versionOf;
    if (!name) found.tableName = 'is required';
    setIssues(found);
    if (Object.keys(found).length > 0 || !file) return;
    try {
      const created = await create.mutateAsync({ sourceId, tableName: name, originalName: file.name, bytes: file.size });
      await upload.start(created.id, file, created.receivedBytes);
    } catch (error) {
      if (error instanceof ApiError) {
        setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^body\./, '').replace(/^params\.id$/, 'sourceId'), i.message])));
      }
    }
  }

  const createError = create.error instanceof ApiError && create.error.issues.length > 0 ? null : create.error;
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Upload a file">
      <Field label="File source" error={issues.sourceId}>
        <Select value={sourceId} onChange={(e) => { setSourceId(e.target.value); setVersionOf(NEW_TABLE); }} disabled={busy} invalid={!!issues.sourceId}>
          <option value="">Choose a file source…</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="CSV file" error={issues.file ?? issues.bytes ?? issues.originalName} hint="Any size; it is sent in 16 MB parts and can be resumed.">
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          disabled={busy}
          onChange={(e) => pickFile(e.target.files?.[0] ?? null)}
          className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-indigo-700"
        />
      </Field>
      <Field label="Upload as" hint={existingTables.length === 0 ? 'This source has no tables yet.' : undefined}>
        <Select value={versionOf} onChange={(e) => setVersionOf(e.target.value)} disabled={busy || existingTables.length === 0}>
          <option value={NEW_TABLE}>A new table</option>
          {existingTables.map((t) => (
            <option key={t} value={t}>
              New version of {t}
            </option>
          ))}
        </Select>
      </Field>
      {versionOf === NEW_TABLE && (
        <Field label="Table name" error={issues.tableName} hint="The name mappings read it by; a new version keeps it.">
          <TextInput
            value={tableName}
            disabled={busy}
            invalid={!!issues.tableName}
            onChange={(e) => {
              setTableName(e.target.value);
              setTableNameEdited(true);
            }}
            placeholder="customers_export"
          />
        </Field>
      )}
      {versionOf !== NEW_TABLE && issues.tableName && (
        <p role="alert" className="text-xs text-red-600">
          Table name {issues.tableName}
        </p>
      )}
      <ErrorNotice error={createError} />
      <Button type="submit" disabled={busy || !file}>
        Upload
      </Button>
      <UploadProgress state={upload.state} onCancel={() => void upload.cancel()} onResume={upload.resume} />
      {doneFileId && (
        <Link href={`/files/${doneFileId}`} className="text-sm text-indigo-700 hover:underline">
          Review the detected shape →
        </Link>
      )}
    </form>
  );
}
