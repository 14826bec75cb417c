'use client';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@/hooks/api-client';
import { useArchiveMapping, usePurgeMapping, useRestoreMapping } from '@/hooks/use-mapping-archive';
import type { MappingArchiveView } from '@/hooks/use-mappings';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';

type ArchivableMapping = MappingArchiveView & { id: string; name: string };

/** "by ana@example.com on 3 Dec 2026, 10:04" */
export function archivedWhen(mapping: MappingArchiveView): string {
  const who = mapping.archivedBy?.email ?? 'a deleted user';
  return mapping.archivedAt ? `by ${who} on ${new Date(mapping.archivedAt).toLocaleString()}` : '';
}

function Dialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/30 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className="w-full max-w-lg space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-lg"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** The mapping page's "Archive" action (analysts and admins), asking first and saying what stays. */
export function ArchiveMappingButton({ mapping }: { mapping: ArchivableMapping }) {
  const canWrite = useCan('mappings:write');
  const archive = useArchiveMapping();
  const [open, setOpen] = useState(false);
  if (!canWrite || mapping.archivedAt) return null;
  const close = () => {
    setOpen(false);
    archive.reset();
  };
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Archive
      </Button>
      {open && (
        <Dialog title={`Archive "${mapping.name}"?`} onClose={close}>
          <p className="text-sm text-slate-700">
            It leaves the mapping list and can start no job or take a new version until it is restored. Its versions, jobs, error rows and reports
            stay, readable as before.
          </p>
          <ErrorNotice error={archive.error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Keep it
            </Button>
            <Button variant="danger" disabled={archive.isPending} onClick={() => archive.mutate(mapping.id, { onSuccess: close })}>
              {archive.isPending ? 'Archiving…' : 'Archive'}
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}

export function RestoreMappingButton({ mapping }: { mapping: ArchivableMapping }) {
  const canWrite = useCan('mappings:write');
  const restore = useRestoreMapping();
  if (!canWrite || !mapping.archivedAt) return null;
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={restore.isPending} onClick={() => restore.mutate(mapping.id)} aria-label={`Restore ${mapping.name}`}>
        {restore.isPending ? 'Restoring…' : 'Restore'}
      </Button>
      <ErrorNotice error={restore.error} />
    </span>
  );
}

/** Admins erase an archived mapping with its whole history, typing its name first. */
export function PurgeMappingButton({ mapping, onPurged }: { mapping: ArchivableMapping; onPurged?: () => void }) {
  const canPurge = useCan('mappings:purge');
  const purge = usePurgeMapping();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  if (!canPurge || !mapping.archivedAt) return null;
  const close = () => {
    setOpen(false);
    setTyped('');
    purge.reset();
  };
  const typedError = purge.error instanceof ApiError ? purge.error.issueFor('confirmName') : undefined;
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)} aria-label={`Erase ${mapping.name}`}>
        Erase for good…
      </Button>
      {open && (
        <Dialog title={`Erase "${mapping.name}" for good?`} onClose={close}>
          <p className="text-sm text-slate-700">
            This deletes the mapping with all its versions, jobs, error rows (the only copy of the source rows that failed), reports and
            corrections. It cannot be undone; the audit log keeps a line saying you did it.
          </p>
          <Field label="Type the mapping's name to confirm" error={typedError}>
            <TextInput value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" placeholder={mapping.name} invalid={!!typedError} />
          </Field>
          {!typedError && <ErrorNotice error={purge.error} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={typed !== mapping.name || purge.isPending}
              onClick={() => purge.mutate({ id: mapping.id, confirmName: typed }, {
                  onSuccess: () => {
                    close();
                    onPurged?.();
                  },
                })}
            >
              {purge.isPending ? 'Erasing…' : 'Erase for good'}
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}

/** Shown on an archived mapping's page: who archived it and when, restore, and (admins) erase. */
export function ArchivedMappingBanner({ mapping }: { mapping: ArchivableMapping }) {
  const router = useRouter();
  if (!mapping.archivedAt) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2.5 text-sm text-amber-900" data-testid="archived-banner">
      <span>
        <strong>Archived</strong> {archivedWhen(mapping)}. Its versions, jobs, error rows and reports stay readable; restore it to run jobs or save
        versions.
      </span>
      <span className="ml-auto flex items-start gap-2">
        <RestoreMappingButton mapping={mapping} />
        <PurgeMappingButton mapping={mapping} onPurged={() => router.push('/mappings')} />
      </span>
    </div>
  );
}
