'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateSyncRequest, SyncSettings } from '@/lib/schemas/sync-settings';
import type { SyncAction, SyncListItem, SyncView } from '@/lib/schemas/sync-view';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** Every sync, or one mapping's (at most one); refreshed every few seconds for D and the state. */
export function useSyncs(mappingId?: string) {
  return useQuery({
    queryKey: [...queryKeys.syncs, 'list', mappingId ?? 'all'],
    queryFn: () => api<{ syncs: SyncListItem[] }>(`/api/syncs${mappingId ? `?mappingId=${mappingId}` : ''}`).then((r) => r.syncs),
    refetchInterval: 3000,
  });
}

/** The sync page's view, live: polled every second (D, S and the state move while it runs). */
export function useSync(id: string) {
  return useQuery({
    queryKey: queryKeys.sync(id),
    queryFn: () => api<{ sync: SyncView }>(`/api/syncs/${id}`).then((r) => r.sync),
    refetchInterval: 1000,
  });
}

export function useCreateSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateSyncRequest) => api<{ sync: { id: string } }>('/api/syncs', { method: 'POST', body: request }).then((r) => r.sync),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.syncs }),
  });
}

export function useUpdateSync(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: SyncSettings) => api<{ sync: SyncView }>(`/api/syncs/${id}`, { method: 'PUT', body: { settings } }).then((r) => r.sync),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.syncs }),
  });
}

export function useSyncAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: SyncAction) => api(`/api/syncs/${id}/${action}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.syncs }),
  });
}

/** Dismisses error rows of a sync's job (some, or all open ones): the sync stops retrying them. */
export function useDismissErrorRows(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (errorRowIds?: number[]) =>
      api<{ dismissed: number }>(`/api/jobs/${jobId}/errors/dismiss`, { method: 'POST', body: errorRowIds ? { errorRowIds } : {} }),
    onSettled: () => {
      client.invalidateQueries({ queryKey: queryKeys.job(jobId) });
      client.invalidateQueries({ queryKey: queryKeys.syncs });
    },
  });
}
