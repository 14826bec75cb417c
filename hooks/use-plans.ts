'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { listPlans, PlanView } from '@/lib/plans/plan-view';
import type { PlanRunAction, SavePlanRequest, StartPlanRunRequest } from '@/lib/schemas/plan';
import { api } from './api-client';
import { queryKeys } from './query-keys';

export type PlanListItem = Awaited<ReturnType<typeof listPlans>>[number];

const live = (status: string | undefined) => status === 'running' || status === 'paused';

export function usePlans() {
  return useQuery({
    queryKey: queryKeys.plans,
    queryFn: () => api<{ plans: PlanListItem[] }>('/api/plans').then((r) => r.plans),
    refetchInterval: (query) => (query.state.data?.some((p) => live(p.lastRun?.status)) ? 3000 : false),
  });
}

/**
 * Whether the run shown still moves: it runs or is paused, or it finished less than two
 * minutes ago and a step's verification (C) has not settled yet.
 */
function moving(plan: PlanView | undefined): boolean {
  const run = plan?.run;
  if (!run) return false;
  if (live(run.status)) return true;
  if (!run.finishedAt || Date.now() - new Date(run.finishedAt).getTime() > 120_000) return false;
  return run.steps.some((s) => s.inScope && s.job && (s.consistency === null || s.consistency.score === null));
}

/** The plan page's view (one run: the latest, or `run`), polled every second while that run moves. */
export function usePlan(id: string, run?: string) {
  return useQuery({
    queryKey: queryKeys.plan(id, run),
    queryFn: () => api<{ plan: PlanView }>(`/api/plans/${id}${run ? `?run=${run}` : ''}`).then((r) => r.plan),
    placeholderData: (previous) => previous,
    refetchInterval: (query) => (moving(query.state.data) ? 1000 : false),
  });
}

export function useCreatePlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: SavePlanRequest) => api<{ plan: { id: string; name: string } }>('/api/plans', { method: 'POST', body: request }).then((r) => r.plan),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.plans }),
  });
}

export function useUpdatePlan(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: SavePlanRequest) => api<{ plan: { id: string; name: string } }>(`/api/plans/${id}`, { method: 'PUT', body: request }).then((r) => r.plan),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.plans }),
  });
}

export function useDeletePlan(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api(`/api/plans/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.plans }),
  });
}

/** Starts a run: every mapping, or (`rerun`) those mappings and their dependents. */
export function useStartPlanRun(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: Partial<StartPlanRunRequest>) => api<{ run: { id: string } }>(`/api/plans/${id}/runs`, { method: 'POST', body: { options: {}, ...request } }).then((r) => r.run),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.plans }),
  });
}

export function usePlanRunAction(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, action }: { runId: string; action: PlanRunAction }) => api<{ status: string }>(`/api/plan-runs/${runId}/${action}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['plans', planId] }),
  });
}

/** Replays the open rows that wait for a parent error row which has landed since. */
export function useReplayWaitingChildren(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (errorRowId: number) =>
      api<{ replays: { jobId: string; replayJobId: string; rows: number }[] }>(`/api/jobs/${jobId}/errors/${errorRowId}/replay-children`, { method: 'POST' }),
    onSettled: () => {
      client.invalidateQueries({ queryKey: queryKeys.job(jobId) });
      client.invalidateQueries({ queryKey: queryKeys.jobs });
    },
  });
}
