'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useCreateFileSource } from '@/hooks/use-file-sources';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';

export function NewFileSourceForm({ onCreated }: { onCreated: (id: string) => void }) {
  const create = useCreateFileSource();
  const [name, setName] = useState('');
  const [issue, setIssue] = useState<string | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '') {
      setIssue('is required');
      return;
    }
    try {
      const created = await create.mutateAsync({ name: name.trim() });
      setIssue(undefined);
      setName('');
      onCreated(created.id);
    } catch (error) {
      // A duplicate name is a 409 without issues: it belongs next to the field all the same.
      if (error instanceof ApiError) setIssue(error.issueFor('name') ?? (error.status === 409 ? 'is already used by another connection' : undefined));
    }
  }

  const otherError = create.error instanceof ApiError && (create.error.issues.length > 0 || create.error.status === 409) ? null : create.error;
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="New file source">
      <Field label="Source name" error={issue} hint="Shown as a connection; its tables are the files you upload.">
        <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="Legacy CRM exports" invalid={!!issue} />
      </Field>
      <ErrorNotice error={otherError} />
      <Button type="submit" disabled={create.isPending}>
        Create file source
      </Button>
    </form>
  );
}
