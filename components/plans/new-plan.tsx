'use client';
import { useRouter } from 'next/navigation';
import { useCreatePlan } from '@/hooks/use-plans';
import { PlanForm } from './plan-form';

export function NewPlan() {
  const router = useRouter();
  const create = useCreatePlan();
  return (
    <PlanForm
      submitLabel="Create plan"
      pending={create.isPending}
      error={create.error}
      onSubmit={(request) => create.mutate(request, { onSuccess: (plan) => router.push(`/plans/${plan.id}`) })}
      onCancel={() => router.push('/plans')}
    />
  );
}
