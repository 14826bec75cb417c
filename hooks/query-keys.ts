export const queryKeys = {
  connections: ['connections'] as const,
  connection: (id: string) => ['connections', id] as const,
  tables: (connectionId: string) => ['connections', connectionId, 'tables'] as const,
  table: (connectionId: string, table: string) => ['connections', connectionId, 'tables', table] as const,
  users: ['users'] as const,
  audit: ['audit'] as const,
  mappings: ['mappings'] as const,
  mapping: (id: string) => ['mappings', id] as const,
  jobs: ['jobs'] as const,
  syncs: ['syncs'] as const,
  sync: (id: string) => ['syncs', id] as const,
  job: (id: string) => ['jobs', id] as const,
  plans: ['plans'] as const,
  /** `run`: the run shown (the latest when absent). */
  plan: (id: string, run?: string) => ['plans', id, run ?? 'latest'] as const,
  /** Under the mapping and the job, so invalidating either refreshes its consistency too. */
  mappingConsistency: (mappingId: string) => ['mappings', mappingId, 'consistency'] as const,
  jobConsistency: (jobId: string) => ['jobs', jobId, 'consistency'] as const,
  consistencyDiffs: (reportId: string) => ['consistency', reportId, 'diffs'] as const,
};
