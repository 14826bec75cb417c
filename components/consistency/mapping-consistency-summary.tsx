'use client';
import Link from 'next/link';
import { isReportRunning, useMappingConsistency } from '@/hooks/use-consistency';
import { Card, ErrorNotice } from '@/components/ui/card';
import { VerifyNowButton } from './consistency-actions';
import { ScoreBadge } from './score-badge';
import { ScoreChart } from './score-chart';

/** The mapping page's consistency strip: latest score, score over time, Verify now. */
export function MappingConsistencySummary({ mappingId }: { mappingId: string }) {
  const consistency = useMappingConsistency(mappingId);
  const latest = consistency.data?.latest ?? null;
  return (
    <div className="lg:col-span-3" data-testid="mapping-consistency">
      <Card
        title="Consistency"
        actions={
          <>
            <Link href={`/mappings/${mappingId}/consistency`} className="rounded-md px-2 py-1.5 text-sm text-indigo-700 hover:underline">
              Differences and settings
            </Link>
            <VerifyNowButton mappingId={mappingId} disabled={!!latest && isReportRunning(latest)} />
          </>
        }
      >
        <ErrorNotice error={consistency.error} />
        {consistency.data && (
          <div className="grid gap-4 lg:grid-cols-3">
            <div className="space-y-2 text-sm">
              {latest ? (
                <>
                  <div className="text-xs uppercase tracking-wide text-slate-500">Latest verification</div>
                  <ScoreBadge report={latest} />
                  <div className="text-xs text-slate-500">
                    mapping v{latest.mappingVersion}
                    {latest.finishedAt && ` · ${new Date(latest.finishedAt).toLocaleString()}`} ·{' '}
                    <Link href={`/jobs/${latest.jobId}`} className="text-indigo-700 hover:underline">
                      verify job
                    </Link>
                  </div>
                </>
              ) : (
                <p className="text-slate-500">Not verified yet.</p>
              )}
            </div>
            <div className="lg:col-span-2">
              <ScoreChart history={consistency.data.history} />
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}
