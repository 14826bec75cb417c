'use client';
import Link from 'next/link';
import { Card, PageHeader } from '@/components/ui/card';
import { useCan } from '@/components/layout/actor-context';
import { PlanList } from './plan-list';

/** The plans page: the list, and "New plan" for those who may create one (analysts and admins). */
export function PlansOverview() {
  const canWrite = useCan('mappings:write');
  return (
    <>
      <PageHeader
        title="Plans"
        subtitle="Related mappings migrated together in dependency order, with references remapped to the target's new ids."
        actions={
          canWrite && (
            <Link href="/plans/new" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700">
              New plan
            </Link>
          )
        }
      />
      <Card>
        <PlanList />
      </Card>
    </>
  );
}
