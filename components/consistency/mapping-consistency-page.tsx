'use client';
import Link from 'next/link';
import { isReportRunning, useMappingConsistency } from '@/hooks/use-consistency';
import { useMapping } from '@/hooks/use-mappings';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { RepairButton, VerifyNowButton } from './consistency-actions';
import { DiffDrilldown } from './diff-drilldown';
import { ConsistencyReportPanel } from './report-panel';
import { ScoreChart } from './score-chart';
import { VerifySettingsEditor } from './settings-editor';

/** Everything about a mapping's consistency: latest report and its differences, history, settings, repair. */
export function MappingConsistencyPage({ mappingId }: { mappingId: string }) {
  const mapping = useMapping(mappingId);
  const consistency = useMappingConsistency(mappingId);
  const error = mapping.error ?? consistency.error;
  if (error && !consistency.data) return <ErrorNotice error={error} />;
  if (!mapping.data || !consistency.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const { latest, history } = consistency.data;

  return (
    <>
      <PageHeader
        title={`Consistency · ${mapping.data.name}`}
        subtitle={
          <Link href={`/mappings/${mappingId}`} className="text-indigo-700 hover:underline">
            {mapping.data.sourceTable} → {mapping.data.targetTable}
          </Link>
        }
        actions={<VerifyNowButton mappingId={mappingId} disabled={!!latest && isReportRunning(latest)} />}
      />
      <div className="space-y-6">
        {latest ? (
          <>
            <ConsistencyReportPanel report={latest} title="Latest verification" actions={<RepairButton report={latest} targetTable={mapping.data.targetTable} />} />
            {!isReportRunning(latest) && <DiffDrilldown key={latest.id} report={latest} />}
          </>
        ) : (
          <Card title="Latest verification">
            <p className="text-sm text-slate-500">Not verified yet: a verification runs after every migration, or start one with Verify now.</p>
          </Card>
        )}
        <Card title="Score over time">
          <ScoreChart history={history} />
        </Card>
        <VerifySettingsEditor mappingId={mappingId} view={consistency.data} />
      </div>
    </>
  );
}
