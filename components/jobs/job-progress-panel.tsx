'use client';
import type { JobView } from '@/hooks/use-jobs';
import { Card } from '@/components/ui/card';
import { formatCount, formatDuration } from './format';
import { useLiveRate } from './live-rate';

function Counter({ label, value, tone = 'text-slate-900', testId }: { label: string; value: string; tone?: string; testId: string }) {
  return (
    <div>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} className={`text-2xl font-semibold tabular-nums ${tone}`}>
        {value}
      </div>
    </div>
  );
}

const chunkColors: Record<string, string> = {
  pending: 'bg-slate-200',
  running: 'bg-indigo-400 animate-pulse',
  paused: 'bg-amber-300',
  done: 'bg-emerald-500',
  failed: 'bg-red-500',
  cancelled: 'bg-slate-400',
};

export function JobProgressPanel({ job }: { job: JobView }) {
  const running = job.status === 'running' || job.status === 'pausing' || job.status === 'planning';
  const liveRate = useLiveRate(job.totals.read, running);
  const rate = liveRate ?? job.rate.rowsPerSecond;
  return (
    <Card title="Progress">
      <div className="mb-2 flex items-center justify-between text-sm text-slate-600">
        <span data-testid="job-percent">{job.percent.toFixed(job.percent >= 100 ? 0 : 1)} %</span>
        <span>
          {job.rowsEstimated != null ? `about ${formatCount(job.rowsEstimated)} source rows` : 'estimating…'} · {job.chunkCounts.done}/{job.chunkCounts.total} chunks
        </span>
      </div>
      <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuenow={Math.round(job.percent)} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-full ${job.totals.failed > 0 ? 'bg-amber-500' : 'bg-indigo-600'} transition-all`} style={{ width: `${job.percent}%` }} />
      </div>
      <div className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Counter label="Read" value={formatCount(job.totals.read)} testId="rows-read" />
        <Counter label="Written" value={formatCount(job.totals.written)} tone="text-emerald-700" testId="rows-written" />
        <Counter label="Failed" value={formatCount(job.totals.failed)} tone={job.totals.failed ? 'text-red-700' : undefined} testId="rows-failed" />
        <Counter label="Duplicates" value={formatCount(job.totals.duplicates)} testId="rows-duplicate" />
        <Counter label={running ? 'Rows/s (now)' : 'Rows/s (avg)'} value={formatCount(Math.round(rate))} testId="rows-per-second" />
        <Counter label={running ? 'ETA' : 'Elapsed'} value={formatDuration(running ? job.rate.etaSeconds : job.rate.elapsedSeconds)} testId="job-eta" />
      </div>
      {job.chunks.length > 0 && (
        <div className="mt-5">
          <div className="mb-1 text-xs uppercase tracking-wide text-slate-500">Chunks</div>
          <div className="flex flex-wrap gap-1" data-testid="chunk-grid">
            {job.chunks.map((c) => (
              <span
                key={c.seq}
                data-status={c.status}
                title={`Chunk ${c.seq}: ${c.status} · read ${c.rowsRead} · written ${c.rowsWritten} · failed ${c.rowsFailed}${c.attempts > 1 ? ` · attempt ${c.attempts}` : ''}${c.lastError ? ` · last error: ${c.lastError}` : ''}`}
                className={`h-4 w-4 rounded-sm ${chunkColors[c.status] ?? 'bg-slate-200'}`}
              />
            ))}
          </div>
        </div>
      )}
    </Card>
  );
}
