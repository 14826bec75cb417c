'use client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { finalStatuses } from '@/lib/jobs/job-state';
import type {
  ColumnNormalization,
  ConsistencyDiffView,
  ConsistencyReportView,
  DiffKindName,
  MappingConsistencyView,
  StartRepairRequest,
  StartVerifyRequest,
  VerifySettings,
} from '@/lib/schemas/consistency';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/**
 * A report is live until its verify job reaches a final state and, when it completed, its
 * score is there: the report and its job's status are separate rows, and a read between
 * the two writes can see the job completed before the score (the next poll has both).
 */
export const isReportRunning = (report: Pick<ConsistencyReportView, 'status' | 'score'>) =>
  !(finalStatuses as readonly string[]).includes(report.status) || (report.status === 'completed' && report.score === null);

/** Latest report, score history, saved settings and effective per-column normalization of a mapping. */
export function useMappingConsistency(mappingId: string) {
  return useQuery({
    queryKey: queryKeys.mappingConsistency(mappingId),
    queryFn: () => api<MappingConsistencyView>(`/api/mappings/${mappingId}/consistency`),
    refetchInterval: (query) => (query.state.data?.latest && isReportRunning(query.state.data.latest) ? 1000 : false),
  });
}

/**
 * The report of a job: a verify job's own, or the one its migration/repair triggered.
 * While no report exists yet, `waitMs()` says how often to look again (false: stop); it is
 * asked at every poll, so it can stop looking a while after the job ended.
 */
export function useJobConsistency(jobId: string, waitMs: () => number | false) {
  return useQuery({
    queryKey: queryKeys.jobConsistency(jobId),
    queryFn: () => api<{ report: ConsistencyReportView | null }>(`/api/jobs/${jobId}/consistency`).then((r) => r.report),
    refetchInterval: (query) => {
      const report = query.state.data;
      if (report) return isReportRunning(report) ? 1000 : false;
      return waitMs();
    },
  });
}

/** The UI shows at most this many differences per kind; the CSV holds all of them. */
export const maxDiffsShown = 1000;
const diffPage = 250;

/** Differences of one kind, paged by id (keyset), optionally narrowed to keys containing `key`. */
export function useConsistencyDiffs(reportId: string, kind: DiffKindName, key: string) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.consistencyDiffs(reportId), kind, key],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ kind, take: String(diffPage) });
      if (key) query.set('key', key);
      if (pageParam !== undefined) query.set('after', String(pageParam));
      return api<{ diffs: ConsistencyDiffView[]; next: number | null }>(`/api/consistency/${reportId}/diffs?${query}`);
    },
    getNextPageParam: (last, pages) => (last.next === null || pages.length * diffPage >= maxDiffsShown ? undefined : last.next),
  });
}

export const diffsCsvUrl = (reportId: string) => `/api/consistency/${reportId}/diffs.csv`;

export function useStartVerify(mappingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: StartVerifyRequest = {}) =>
      api<{ job: { id: string } }>(`/api/mappings/${mappingId}/verify`, { method: 'POST', body: request }).then((r) => r.job),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: queryKeys.jobs });
      client.invalidateQueries({ queryKey: queryKeys.mappingConsistency(mappingId) });
    },
  });
}

/**
 * What the settings form sends. Numbers the user typed that are not numbers are sent as
 * typed, so the server answers with the field's path and message like any other 422.
 */
export type ColumnNormalizationInput = { [K in keyof ColumnNormalization]?: ColumnNormalization[K] | string };
export interface VerifySettingsInput {
  columns: Record<string, ColumnNormalizationInput>;
  rangeRows: number | string;
  autoVerify: boolean;
}

export function useSaveVerifySettings(mappingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: VerifySettingsInput) =>
      api<{ settings: VerifySettings }>(`/api/mappings/${mappingId}/verify-settings`, { method: 'PUT', body: settings }).then((r) => r.settings),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappingConsistency(mappingId) }),
  });
}

export function useStartRepair(reportId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: StartRepairRequest) =>
      api<{ job: { id: string } }>(`/api/consistency/${reportId}/repair`, { method: 'POST', body: request }).then((r) => r.job),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.jobs }),
  });
}
