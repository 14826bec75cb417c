'use client';
import { useMapping } from '@/hooks/use-mappings';
import { Card } from '@/components/ui/card';
import { MappingConsistencySummary } from '@/components/consistency/mapping-consistency-summary';
import { JobList } from './job-list';
import { StartMigration } from './start-migration';

/** The jobs area of a mapping page: start a migration, and this mapping's job history. */
export function MappingJobs({ mappingId }: { mappingId: string }) {
  const mapping = useMapping(mappingId);
  if (!mapping.data) return null;
  return (
    <div data-testid="mapping-jobs" className="grid gap-6 lg:grid-cols-3">
      <Card title="Run">
        {mapping.data.archivedAt ? (
          <p className="text-sm text-slate-500">This mapping is archived: it starts no jobs until it is restored.</p>
        ) : (
          <StartMigration mappingId={mappingId} targetTable={mapping.data.targetTable} latestVersion={mapping.data.latestVersion} />
        )}
      </Card>
      <div className="lg:col-span-2">
        <Card title="Jobs of this mapping">
          <JobList mappingId={mappingId} />
        </Card>
      </div>
      <MappingConsistencySummary mappingId={mappingId} />
    </div>
  );
}
