'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ConsistencyReportView } from '@/lib/schemas/consistency';
import { useStartVerify } from '@/hooks/use-consistency';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { RepairDialog } from './repair-dialog';

/** Admins start a verification of the mapping's latest version and follow it on its job page. */
export function VerifyNowButton({ mappingId, disabled }: { mappingId: string; disabled?: boolean }) {
  const router = useRouter();
  const canControl = useCan('jobs:control');
  const verify = useStartVerify(mappingId);
  if (!canControl) return null;
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        disabled={disabled || verify.isPending}
        onClick={() => verify.mutate({}, { onSuccess: (job) => router.push(`/jobs/${job.id}`) })}
      >
        {verify.isPending ? 'Starting…' : 'Verify now'}
      </Button>
      <ErrorNotice error={verify.error} />
    </span>
  );
}

/** Admins repair what a completed verification found: only offered when it found something. */
export function RepairButton({ report, targetTable }: { report: ConsistencyReportView; targetTable: string }) {
  const canControl = useCan('jobs:control');
  const [open, setOpen] = useState(false);
  // The server repairs only from a verification that completed (not failed or cancelled half-way).
  if (!canControl || report.status !== 'completed' || report.different + report.missing + report.extra === 0) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Repair</Button>
      {open && <RepairDialog report={report} targetTable={targetTable} onClose={() => setOpen(false)} />}
    </>
  );
}
