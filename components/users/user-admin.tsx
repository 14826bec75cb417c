'use client';
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useCreateUser, useUpdateUser, useUsers } from '@/hooks/use-users';
import { roles, type Role } from '@/lib/auth/roles';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { Field, Select, TextInput } from '@/components/ui/field';

export function UserAdmin() {
  const users = useUsers();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [issues, setIssues] = useState<Record<string, string>>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      await create.mutateAsync({
        email: String(form.get('email')),
        name: String(form.get('name')),
        role: String(form.get('role')) as Role,
        password: String(form.get('password')),
      });
      setIssues({});
      formElement.reset();
    } catch (error) {
      if (error instanceof ApiError) setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^body\./, ''), i.message])));
    }
  }

  return (
    <>
      <PageHeader title="Users" subtitle="Admins manage everything; analysts edit connections and mappings; viewers read." />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="People">
            <ErrorNotice error={users.error ?? update.error} />
            <DataTable
              rows={users.data ?? []}
              rowKey={(u) => u.id}
              columns={[
                { header: 'Name', cell: (u) => u.name },
                { header: 'Email', cell: (u) => u.email },
                {
                  header: 'Role',
                  cell: (u) => (
                    <Select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
                      {roles.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </Select>
                  ),
                },
                {
                  header: 'Status',
                  cell: (u) => (
                    <button type="button" onClick={() => update.mutate({ id: u.id, disabled: !u.disabledAt })} title="Toggle">
                      {u.disabledAt ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>}
                    </button>
                  ),
                },
              ]}
            />
          </Card>
        </div>
        <Card title="Add a user">
          <form onSubmit={submit} className="space-y-3">
            <Field label="Name" error={issues.name}><TextInput name="name" required /></Field>
            <Field label="Email" error={issues.email}><TextInput name="email" type="email" required /></Field>
            <Field label="Role" error={issues.role}>
              <Select name="role" defaultValue="viewer">
                {roles.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </Select>
            </Field>
            <Field label="Initial password" error={issues.password} hint="At least 10 characters">
              <TextInput name="password" type="password" autoComplete="new-password" required />
            </Field>
            <Button type="submit" disabled={create.isPending}>Add user</Button>
          </form>
        </Card>
      </div>
    </>
  );
}
