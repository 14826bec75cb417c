'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KeyTuple } from '@/lib/connectors/connector';
import type { FieldError } from '@/lib/mapping/field-error';
import type { MappingSpec, MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** Who archived a mapping, and when (null: not archived). */
export interface MappingArchiveView {
  archivedAt: string | null;
  archivedBy: { id: string; email: string; name: string } | null;
}

/** GET /api/mappings rows (dates arrive as ISO text). */
export interface MappingListItemView extends MappingArchiveView {
  id: string;
  name: string;
  sourceTable: string;
  targetTable: string;
  latestVersion: number;
  updatedAt: string;
  sourceConnection: { id: string; name: string };
  targetConnection: { id: string; name: string };
}

export interface MappingVersionSummary {
  version: number;
  comment: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** GET /api/mappings/[id]?version=N: one version's spec plus the history. */
export interface MappingDetailView extends MappingArchiveView {
  id: string;
  name: string;
  sourceTable: string;
  targetTable: string;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
  sourceConnection: { id: string; name: string; kind: string };
  targetConnection: { id: string; name: string; kind: string };
  versions: MappingVersionSummary[];
  /** The version whose spec this is. */
  version: number;
  spec: MappingSpec;
}

export interface PreviewRowError {
  stage: FieldError['stage'] | 'read';
  field: string;
  code: string;
  message: string;
}

export interface PreviewRow {
  sourceKey: KeyTuple;
  source: Record<string, unknown>;
  target: Record<string, unknown> | null;
  errors: PreviewRowError[];
}

export interface MappingPreviewView {
  targetColumns: string[];
  rows: PreviewRow[];
}

export interface CreateMappingInput {
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  spec: MappingSpecInput;
  comment?: string;
}

/** What a preview runs: a draft spec with its connections (needs mappings:write), or a saved version (any role). */
export type PreviewSubject = { sourceConnectionId: string; targetConnectionId: string; spec: MappingSpecInput } | { mappingId: string; version: number };

export type PreviewMappingInput = PreviewSubject & {
  keys?: (string | number)[][];
  limit: number;
};

/** The active mappings, or the archived ones. */
export function useMappings(archived = false) {
  return useQuery({
    queryKey: [...queryKeys.mappings, archived ? 'archived' : 'active'] as const,
    queryFn: () => api<{ mappings: MappingListItemView[] }>(`/api/mappings${archived ? '?archived=true' : ''}`).then((r) => r.mappings),
  });
}

/**
 * The latest version unless `version` is given. While another version loads, the
 * previous answer stays as placeholder data (check `isPlaceholderData`).
 */
export function useMapping(id: string, version?: number) {
  return useQuery({
    queryKey: [...queryKeys.mapping(id), version ?? 'latest'] as const,
    placeholderData: keepPreviousData,
    queryFn: () =>
      api<{ mapping: MappingDetailView }>(`/api/mappings/${id}${version === undefined ? '' : `?version=${version}`}`).then((r) => r.mapping),
  });
}

export function useCreateMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateMappingInput) =>
      api<{ mapping: { id: string; name: string; latestVersion: number } }>('/api/mappings', { method: 'POST', body: request }).then((r) => r.mapping),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappings }),
  });
}

export function useSaveMappingVersion(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: { spec: MappingSpecInput; comment?: string }) =>
      api<{ version: { id: string; version: number; createdAt: string } }>(`/api/mappings/${id}/versions`, { method: 'POST', body: request }).then(
        (r) => r.version,
      ),
    // queryKeys.mappings is a prefix of queryKeys.mapping(id): list and detail both refresh.
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.mappings }),
  });
}

export function usePreviewMapping() {
  return useMutation({
    mutationFn: (request: PreviewMappingInput) =>
      api<{ preview: MappingPreviewView }>('/api/mappings/preview', { method: 'POST', body: request }).then((r) => r.preview),
  });
}
