'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useRegisterSourceFile, type FileSourceView } from '@/hooks/use-file-sources';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, Select, TextInput } from '@/components/ui/field';
import { tableNameFromFile } from './table-name-from-file';

type Issues = Partial<Record<'sourceId' | 'path' | 'tableName', string>>;

/** Admins only: a file already on the server (too big to send, or dropped there by another system) is read in place. */
export function RegisterFileForm({ sources }: { sources: FileSourceView[] }) {
  const router = useRouter();
  const register = useRegisterSourceFile();
  const [sourceId, setSourceId] = useState('');
  const [path, setPath] = useState('');
  const [tableName, setTableName] = useState('');
  const [issues, setIssues] = useState<Issues>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Issues = {};
    if (!sourceId) found.sourceId = 'is required';
    if (!path.trim()) found.path = 'is required';
    const name = tableName.trim() || tableNameFromFile(path.trim().split('/').pop() ?? '');
    setIssues(found);
    if (Object.keys(found).length > 0) return;
    try {
      const file = await register.mutateAsync({ sourceId, path: path.trim(), tableName: name });
      router.push(`/files/${file.id}`);
    } catch (error) {
      if (error instanceof ApiError) setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^body\./, ''), i.message])));
    }
  }

  const otherError = register.error instanceof ApiError && register.error.issues.length > 0 ? null : register.error;
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Register a file on the server">
      <Field label="Source for the server file" error={issues.sourceId}>
        <Select value={sourceId} onChange={(e) => setSourceId(e.target.value)} invalid={!!issues.sourceId}>
          <option value="">Choose a file source…</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Path on the server" error={issues.path} hint="Absolute; inside the file storage folder or a folder of FERRY_FILE_IMPORT_DIRS.">
        <TextInput value={path} onChange={(e) => setPath(e.target.value)} placeholder="/srv/exports/customers.csv" invalid={!!issues.path} />
      </Field>
      <Field label="Table name for the server file" error={issues.tableName} hint="Defaults to the file's name; an existing table gets a new version.">
        <TextInput
          value={tableName}
          onChange={(e) => setTableName(e.target.value)}
          placeholder={path.trim() ? tableNameFromFile(path.trim().split('/').pop() ?? '') : 'customers_export'}
          invalid={!!issues.tableName}
        />
      </Field>
      <ErrorNotice error={otherError} />
      <Button type="submit" disabled={register.isPending}>
        Register file
      </Button>
    </form>
  );
}
