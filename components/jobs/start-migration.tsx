'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useStartMigration } from '@/hooks/use-jobs';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';

/** Admins start a migration of a mapping's latest version; a full reload needs the table name typed. */
export function StartMigration({ mappingId, targetTable, latestVersion }: { mappingId: string; targetTable: string; latestVersion: number }) {
  const router = useRouter();
  const canControl = useCan('jobs:control');
  const start = useStartMigration();
  const [chunkRows, setChunkRows] = useState('50000');
  const [fullReload, setFullReload] = useState(false);
  const [confirm, setConfirm] = useState('');
  if (!canControl) return <p className="text-sm text-slate-500">Only admins start migrations.</p>;

  async function run() {
    const job = await start.mutateAsync({
      mappingId,
      options: { chunkRows: Number(chunkRows) || 50000, fullReload },
      confirmFullReload: fullReload ? confirm : undefined,
    });
    router.push(`/jobs/${job.id}`);
  }

  return (
    <div className="space-y-3">
      <div className="grid grid-cols-2 gap-3">
        <Field label="Rows per chunk" hint="Chunks run in parallel on all workers">
          <TextInput type="number" value={chunkRows} onChange={(e) => setChunkRows(e.target.value)} />
        </Field>
        <label className="mt-6 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={fullReload} onChange={(e) => setFullReload(e.target.checked)} />
          Full reload (empty <span className="font-mono">{targetTable}</span> first)
        </label>
      </div>
      {fullReload && (
        <Field label="Type the target table name to confirm">
          <TextInput value={confirm} onChange={(e) => setConfirm(e.target.value)} placeholder={targetTable} />
        </Field>
      )}
      <ErrorNotice error={start.error} />
      <Button onClick={run} disabled={start.isPending || (fullReload && confirm !== targetTable)}>
        {start.isPending ? 'Starting…' : `Run migration (v${latestVersion})`}
      </Button>
    </div>
  );
}
