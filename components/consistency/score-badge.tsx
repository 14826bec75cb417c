import type { ConsistencyReportView } from '@/lib/schemas/consistency';
import { isReportRunning } from '@/hooks/use-consistency';
import { Badge } from '@/components/ui/badge';
import { formatCount } from '@/components/jobs/format';
import { formatScore, scoreTone } from './score-format';

type Counts = Pick<ConsistencyReportView, 'matched' | 'different' | 'missing' | 'extra' | 'nullKeys' | 'duplicateKeys'>;

const countLabels: [keyof Counts, string][] = [
  ['matched', 'matched'],
  ['different', 'different'],
  ['missing', 'missing'],
  ['extra', 'extra'],
  ['nullKeys', 'NULL keys'],
  ['duplicateKeys', 'duplicate keys'],
];

/** The score of a report with its counts beside it; "verifying…" while the run goes on. */
export function ScoreBadge({ report, showCounts = true }: { report: ConsistencyReportView; showCounts?: boolean }) {
  const running = isReportRunning(report);
  const finished = !running && report.score !== null;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
      <span data-testid="consistency-score" data-state={running ? 'running' : finished ? 'finished' : report.status} data-score={report.score ?? ''}>
        {running ? (
          <Badge tone="info">verifying…</Badge>
        ) : report.score !== null ? (
          <Badge tone={scoreTone(report.score)}>{formatScore(report.score)}</Badge>
        ) : (
          <Badge tone="bad">verification {report.status.replace(/_/g, ' ')}</Badge>
        )}
      </span>
      {showCounts && (
        <span className="flex flex-wrap gap-x-3 text-xs text-slate-600">
          {countLabels.map(([key, label]) => (
            <span key={key} data-testid={`consistency-count-${key}`} data-value={report[key]} className={key !== 'matched' && report[key] > 0 ? 'font-medium text-red-700' : undefined}>
              {formatCount(report[key])} {label}
            </span>
          ))}
        </span>
      )}
    </span>
  );
}
