'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectionConfig, ConnectionView } from '@/lib/schemas/connection-config';
import type { ConnectionTestResult, TableDetail, TableSummary } from '@/lib/connectors/connector';
import { api } from './api-client';
import { queryKeys } from './query-keys';

export function useConnections() {
  return useQuery({
    queryKey: queryKeys.connections,
    queryFn: () => api<{ connections: ConnectionView[] }>('/api/connections').then((r) => r.connections),
  });
}

export function useConnection(id: string) {
  return useQuery({
    queryKey: queryKeys.connection(id),
    queryFn: () => api<{ connection: ConnectionView }>(`/api/connections/${id}`).then((r) => r.connection),
  });
}

export function useSaveConnection(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (config: ConnectionConfig) =>
      api<{ connection: ConnectionView }>(id ? `/api/connections/${id}` : '/api/connections', {
        method: id ? 'PUT' : 'POST',
        body: config,
      }).then((r) => r.connection),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.connections }),
  });
}

export function useDeleteConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/connections/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.connections }),
  });
}

export function useTestConnection() {
  return useMutation({
    mutationFn: (input: ConnectionConfig & { id?: string }) =>
      api<{ result: ConnectionTestResult }>('/api/connections/test', { method: 'POST', body: input }).then((r) => r.result),
  });
}

export function useTables(connectionId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.tables(connectionId ?? ''),
    enabled: !!connectionId,
    queryFn: () => api<{ tables: TableSummary[] }>(`/api/connections/${connectionId}/tables`).then((r) => r.tables),
  });
}

export function useTable(connectionId: string | undefined, table: string | undefined) {
  return useQuery({
    queryKey: queryKeys.table(connectionId ?? '', table ?? ''),
    enabled: !!connectionId && !!table,
    queryFn: () =>
      api<{ table: TableDetail }>(`/api/connections/${connectionId}/tables/${encodeURIComponent(table ?? '')}`).then((r) => r.table),
  });
}
