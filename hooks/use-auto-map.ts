'use client';
import { useMutation } from '@tanstack/react-query';
import type { AutoMapProposal } from '@/lib/mapping/auto-map';
import type { AutoMapRequest } from '@/lib/schemas/auto-map-request';
import { api } from './api-client';

export interface AutoMapView {
  proposals: AutoMapProposal[];
  /** Source rows whose values ranked the proposals. */
  sampledRows: number;
  /** Why no rows could be sampled (the proposals then go by names, keys and types). */
  sampleProblem: string | null;
}

/** Auto-map proposals from the server, which ranks them with a sample of the source's values. */
export function useAutoMap() {
  return useMutation({
    mutationFn: (request: AutoMapRequest) => api<AutoMapView>('/api/mappings/auto-map', { method: 'POST', body: request }),
  });
}
