'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMapping } from '@/hooks/use-mappings';
import { useCreateSync, useSyncs } from '@/hooks/use-syncs';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { formatDelay } from './sync-format';
import { SyncStateBadge } from './sync-state-badge';
import { SyncSettingsForm } from './sync-settings-form';

/**
 * The mapping page's sync area: its sync at a glance with a link to the sync page, or
 * "Keep in sync", which opens the settings form (analysts and admins; starting it is an admin's).
 */
export function MappingSync({ mappingId }: { mappingId: string }) {
  const router = useRouter();
  const canWrite = useCan('mappings:write');
  const mapping = useMapping(mappingId);
  const syncs = useSyncs(mappingId);
  const create = useCreateSync();
  const [open, setOpen] = useState(false);
  if (!mapping.data || !syncs.data) return null;
  const sync = syncs.data[0];
  if (sync) {
    return (
      <Card title="Sync">
        <p data-testid="mapping-sync" className="flex flex-wrap items-center gap-3 text-sm">
          <SyncStateBadge state={sync.state} />
          <span>D now {formatDelay(sync.delayMs)}</span>
          <Link href={`/syncs/${sync.id}`} className="font-medium text-indigo-700 hover:underline">
            Open the sync page
          </Link>
        </p>
      </Card>
    );
  }
  if (!canWrite || mapping.data.archivedAt) return null;
  return (
    <Card title="Sync" actions={!open && <Button onClick={() => setOpen(true)}>Keep in sync</Button>}>
      {open ? (
        <SyncSettingsForm
          mappingId={mappingId}
          submitLabel="Create sync"
          pending={create.isPending}
          error={create.error}
          onSubmit={(settings) => create.mutate({ mappingId, settings }, { onSuccess: (created) => router.push(`/syncs/${created.id}`) })}
          onCancel={() => setOpen(false)}
        />
      ) : (
        <p className="text-sm text-slate-600">
          Keep <span className="font-mono">{mapping.data.targetTable}</span> in step with <span className="font-mono">{mapping.data.sourceTable}</span>: changes are
          read from the source’s change log or by a cursor column and applied through this mapping.
        </p>
      )}
    </Card>
  );
}
