'use client';
import Link from 'next/link';
import { usePlans } from '@/hooks/use-plans';
import { ErrorNotice } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { PlanRunStatusBadge } from './plan-run-status-badge';

export function PlanList() {
  const plans = usePlans();
  return (
    <>
      <ErrorNotice error={plans.error} />
      <DataTable
        rows={plans.data ?? []}
        rowKey={(p) => p.id}
        empty={plans.isLoading ? 'Loading…' : 'No plans yet. A plan migrates related mappings together, parents first.'}
        columns={[
          {
            header: 'Plan',
            cell: (p) => (
              <Link href={`/plans/${p.id}`} className="font-medium text-indigo-700 hover:underline" data-testid="plan-link">
                {p.name}
              </Link>
            ),
          },
          { header: 'Mappings', className: 'text-right tabular-nums', cell: (p) => p.mappings },
          { header: 'Last run', cell: (p) => (p.lastRun ? <PlanRunStatusBadge status={p.lastRun.status} /> : <span className="text-slate-400">never run</span>) },
          { header: 'Started', cell: (p) => (p.lastRun ? new Date(p.lastRun.createdAt).toLocaleString() : '—') },
        ]}
      />
    </>
  );
}
