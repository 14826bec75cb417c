'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './api-client';
import { queryKeys } from './query-keys';

export interface AuditChangeView {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** GET /api/audit entries (dates arrive as ISO text). */
export interface AuditEntryView {
  id: number;
  at: string;
  actorId: string | null;
  actorEmail: string;
  action: string;
  entity: { kind: string; id: string | null; label: string; href: string | null; state: 'exists' | 'archived' | 'gone' };
  changes: AuditChangeView[];
  moreChanges: number;
}

export interface AuditPageView {
  entries: AuditEntryView[];
  older: string | null;
  newer: string | null;
}

/** The filters and page of the audit log, as GET /api/audit takes them (absent: no filter). */
export type AuditParams = Partial<Record<'actorId' | 'entityType' | 'entityId' | 'from' | 'to' | 'before' | 'after', string>>;

export function useAuditLog(params: AuditParams) {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return useQuery({
    queryKey: [...queryKeys.audit, query] as const,
    placeholderData: keepPreviousData,
    queryFn: () => api<AuditPageView>(`/api/audit${query ? `?${query}` : ''}`),
  });
}

export function useAuditActors() {
  return useQuery({
    queryKey: [...queryKeys.audit, 'actors'] as const,
    queryFn: () => api<{ actors: { id: string; email: string; name: string }[] }>('/api/audit/actors').then((r) => r.actors),
  });
}
