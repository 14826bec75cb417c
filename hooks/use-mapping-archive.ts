'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** Archive (DELETE), restore and erase for good (purge, admins, with the name typed). Each refreshes lists and the mapping. */
export function useArchiveMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ mapping: { id: string; archivedAt: string } }>(`/api/mappings/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappings }),
  });
}

export function useRestoreMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ mapping: { id: string } }>(`/api/mappings/${id}/restore`, { method: 'POST', body: {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappings }),
  });
}

export function usePurgeMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, confirmName }: { id: string; confirmName: string }) =>
      api<{ purged: { id: string; name: string; jobsErased: number } }>(`/api/mappings/${id}/purge`, { method: 'POST', body: { confirmName } }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappings }),
  });
}
