'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobListItem, JobProgress } from '@/lib/jobs/job-progress';
import { isFinal } from '@/lib/jobs/job-state';
import type { StartMigrationRequest } from '@/lib/schemas/job-request';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** Dates arrive as ISO strings over JSON. */
type Jsonified<T> = T extends Date ? string : T extends (infer U)[] ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;
export type JobView = Jsonified<JobProgress>;
export type JobListView = Jsonified<JobListItem>;

export function useJobs(mappingId?: string) {
  return useQuery({
    queryKey: [...queryKeys.jobs, mappingId ?? 'all'],
    queryFn: () => api<{ jobs: JobListView[] }>(`/api/jobs${mappingId ? `?mappingId=${mappingId}` : ''}`).then((r) => r.jobs),
    refetchInterval: (query) => (query.state.data?.some((j) => !isFinal(j.status)) ? 2000 : false),
  });
}

/** Live progress: polled every second while the job can still change. */
export function useJob(id: string) {
  return useQuery({
    queryKey: queryKeys.job(id),
    queryFn: () => api<{ job: JobView }>(`/api/jobs/${id}`).then((r) => r.job),
    refetchInterval: (query) => (query.state.data && isFinal(query.state.data.status) ? false : 1000),
  });
}

export function useStartMigration() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: StartMigrationRequest) => api<{ job: { id: string } }>('/api/jobs', { method: 'POST', body: request }).then((r) => r.job),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.jobs }),
  });
}

export function useJobAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'pause' | 'resume' | 'cancel') => api(`/api/jobs/${id}/${action}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.job(id) }),
  });
}

export interface JobEventView {
  id: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  type: string;
  message: string;
}

/**
 * `revision` changes whenever the job's status or counters do, so lists refetch at once
 * when a job finishes instead of showing what they held at the last poll.
 */
export function useJobEvents(id: string, revision: string) {
  return useQuery({
    queryKey: [...queryKeys.job(id), 'events', revision],
    placeholderData: (previous) => previous,
    queryFn: () => api<{ events: JobEventView[] }>(`/api/jobs/${id}/events`).then((r) => r.events),
  });
}

export interface ErrorRowView {
  id: number;
  sourceKey: unknown[];
  sourceRow: Record<string, unknown>;
  stage: string;
  field: string | null;
  code: string;
  message: string;
  createdAt: string;
  resolvedAt: string | null;
  /** The replay that landed it (null: replayed alone, or not landed). */
  resolvedByJobId: string | null;
  editedAt: string | null;
  editedByEmail: string | null;
  /** An admin gave up on the row (a sync no longer retries it); resolvedAt is set with it. */
  dismissedAt: string | null;
  dismissedByEmail: string | null;
  mappingVersion: number;
}

export interface ErrorRowFilterView {
  stage?: string;
  field?: string;
  code?: string;
  key?: string;
  includeResolved?: string;
}

export const errorRowQuery = (filter: ErrorRowFilterView) =>
  new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();

export function useErrorRows(id: string, filter: ErrorRowFilterView, revision: string) {
  return useQuery({
    queryKey: [...queryKeys.job(id), 'errors', filter, revision],
    placeholderData: (previous) => previous,
    queryFn: () =>
      api<{ rows: ErrorRowView[]; total: number; facets: { stage: string; field: string | null; code: string; count: number }[] }>(
        `/api/jobs/${id}/errors?${errorRowQuery(filter)}`,
      ),
  });
}

export function useStartReplay(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ job: { id: string } }>(`/api/jobs/${jobId}/replay`, { method: 'POST', body: {} }).then((r) => r.job),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.jobs }),
  });
}

export type ReplayResult = { landed: true } | { landed: false; stage: string; field: string | null; code: string; message: string };

/** Saves corrected source values only; replaying them (a write to the target) is an admin's. */
export function useSaveErrorRowCorrection(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ errorId, values }: { errorId: number; values: Record<string, string | null> }) =>
      api(`/api/jobs/${jobId}/errors/${errorId}`, { method: 'PATCH', body: { values } }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.job(jobId) }),
  });
}

/** Saves corrected source values (when any) and replays the row at once. */
export function useFixAndReplay(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ errorId, values }: { errorId: number; values: Record<string, string | null> }) => {
      if (Object.keys(values).length > 0) await api(`/api/jobs/${jobId}/errors/${errorId}`, { method: 'PATCH', body: { values } });
      return api<{ result: ReplayResult }>(`/api/jobs/${jobId}/errors/${errorId}/replay`, { method: 'POST' }).then((r) => r.result);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.job(jobId) }),
  });
}
