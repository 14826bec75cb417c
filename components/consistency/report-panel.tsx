import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ConsistencyReportView } from '@/lib/schemas/consistency';
import { isReportRunning } from '@/hooks/use-consistency';
import { Card } from '@/components/ui/card';
import { formatCount } from '@/components/jobs/format';
import { ScoreBadge } from './score-badge';
import { methodLabels } from './score-format';

function Count({ label, value, testId, bad }: { label: string; value: number; testId: string; bad?: boolean }) {
  return (
    <div>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} className={`text-2xl font-semibold tabular-nums ${bad && value > 0 ? 'text-red-700' : 'text-slate-900'}`}>
        {formatCount(value)}
      </div>
    </div>
  );
}

/** Counts, method and progress of one verify run. `actions` sits in the header (verify, repair, CSV). */
export function ConsistencyReportPanel({ report, title = 'Consistency', actions }: { report: ConsistencyReportView; title?: ReactNode; actions?: ReactNode }) {
  const running = isReportRunning(report);
  const percent = report.rangesTotal > 0 ? (report.rangesDone / report.rangesTotal) * 100 : 0;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {title} <ScoreBadge report={report} showCounts={false} />
        </span>
      }
      actions={actions}
    >
      <div data-testid="consistency-report" data-report-id={report.id} className="space-y-4">
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Count label="Matched" value={report.matched} testId="consistency-matched" />
          <Count label="Different" value={report.different} testId="consistency-different" bad />
          <Count label="Missing in target" value={report.missing} testId="consistency-missing" bad />
          <Count label="Extra in target" value={report.extra} testId="consistency-extra" bad />
          <Count label="NULL keys (source)" value={report.nullKeys} testId="consistency-null-keys" bad />
          <Count label="Duplicate keys (source)" value={report.duplicateKeys} testId="consistency-duplicate-keys" bad />
        </div>
        {running && (
          <div>
            <div className="mb-1 flex justify-between text-xs text-slate-600">
              <span>Verifying…</span>
              <span>
                {report.rangesDone}/{report.rangesTotal || '?'} ranges
              </span>
            </div>
            <div className="h-2 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="Verification progress" aria-valuenow={Math.round(percent)} aria-valuemin={0} aria-valuemax={100}>
              <div className="h-full bg-indigo-600 transition-all" style={{ width: `${percent}%` }} />
            </div>
          </div>
        )}
        <p className="text-xs text-slate-500">
          Score = matched / (matched + 2 × different + missing + extra); NULL and duplicate source keys are counted apart, never dropped. Mapping v
          {report.mappingVersion}
          {report.method && <> · method: {methodLabels[report.method] ?? report.method}</>}
          {report.finishedAt && <> · finished {new Date(report.finishedAt).toLocaleString()}</>} ·{' '}
          <Link href={`/jobs/${report.jobId}`} className="text-indigo-700 hover:underline">
            verify job {report.jobId.slice(0, 8)}
          </Link>
          {report.triggeredByJobId && (
            <>
              {' '}
              after{' '}
              <Link href={`/jobs/${report.triggeredByJobId}`} className="text-indigo-700 hover:underline">
                job {report.triggeredByJobId.slice(0, 8)}
              </Link>
            </>
          )}
        </p>
      </div>
    </Card>
  );
}
