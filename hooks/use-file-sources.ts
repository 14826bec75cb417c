'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CsvShape, CsvShapeReport } from '@/lib/connectors/csv/csv-shape';
import type { CsvShapeOverrides, FileSourceView, SourceFileView } from '@/lib/schemas/file-source';
import { api } from './api-client';

export type { FileSourceView, SourceFileStatus, SourceFileView } from '@/lib/schemas/file-source';

export type ShapeOverrides = CsvShapeOverrides;

const keys = {
  fileSources: ['file-sources'] as const,
  sourceFile: (id: string) => ['source-files', id] as const,
  shape: (id: string, overrides: ShapeOverrides) => ['source-files', id, 'shape', overrides] as const,
};

export function useFileSources() {
  return useQuery({
    queryKey: keys.fileSources,
    queryFn: () => api<{ fileSources: FileSourceView[] }>('/api/file-sources').then((r) => r.fileSources),
    // An upload elsewhere (another tab, a colleague) shows up without a reload.
    refetchInterval: 15_000,
  });
}

export function useCreateFileSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string }) =>
      api<{ fileSource: FileSourceView }>('/api/file-sources', { method: 'POST', body: input }).then((r) => r.fileSource),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.fileSources }),
  });
}

/** Announces an upload: the server answers with the file's row, status `uploading`, nothing received yet. */
export function useCreateSourceFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ sourceId, ...input }: { sourceId: string; tableName: string; originalName: string; bytes: number }) =>
      api<{ file: SourceFileView }>(`/api/file-sources/${sourceId}/files`, { method: 'POST', body: input }).then((r) => r.file),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.fileSources }),
  });
}

export function useRegisterSourceFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ sourceId, ...input }: { sourceId: string; path: string; tableName: string }) =>
      api<{ file: SourceFileView }>(`/api/file-sources/${sourceId}/files/register`, { method: 'POST', body: input }).then((r) => r.file),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.fileSources }),
  });
}

export function useSourceFile(id: string) {
  return useQuery({
    queryKey: keys.sourceFile(id),
    queryFn: () => api<{ file: SourceFileView; report: CsvShapeReport | null }>(`/api/source-files/${id}`),
  });
}

/** The shape read with the analyst's overrides; the previous answer stays on screen while the next is asked. */
export function useShapeReport(id: string, overrides: ShapeOverrides, enabled: boolean) {
  return useQuery({
    queryKey: keys.shape(id, overrides),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: () => api<{ report: CsvShapeReport }>(`/api/source-files/${id}/shape`, { method: 'POST', body: { overrides } }).then((r) => r.report),
  });
}

export function useConfirmShape(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (shape: CsvShape) =>
      api<{ file: SourceFileView }>(`/api/source-files/${id}/confirm`, { method: 'POST', body: { shape } }).then((r) => r.file),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.fileSources });
      void client.invalidateQueries({ queryKey: keys.sourceFile(id) });
      // The source's tables changed: the mapping editor's table lists must read them again.
      void client.invalidateQueries({ queryKey: ['connections'] });
    },
  });
}

export function useDeleteSourceFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/source-files/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.fileSources }),
  });
}

/** After an upload ends, the list shows the received bytes and status. */
export function useRefreshFileSources() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.fileSources });
}
