import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SyncView } from '@/lib/schemas/sync-view';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { formatScore, scoreTone } from '@/components/consistency/score-format';
import { formatCount } from '@/components/jobs/format';
import { ago, formatDelay, formatRate } from './sync-format';

function Gauge({ label, testId, value, data, children }: { label: string; testId: string; value: ReactNode; data?: Record<string, string | number>; children?: ReactNode }) {
  const dataAttributes = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} {...dataAttributes} className="text-2xl font-semibold tabular-nums text-slate-900">
        {value}
      </div>
      {children && (
        <div data-testid={`${testId}-detail`} className="mt-0.5 text-xs text-slate-600">
          {children}
        </div>
      )}
    </div>
  );
}

const healthTones: Record<string, BadgeTone> = { healthy: 'good', holding_wal: 'warn', at_risk: 'bad', lost: 'bad', missing: 'bad' };
const bytes = (n: number) => (n < 1024 ** 2 ? `${Math.round(n / 1024)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`);

/** D, S, the last and next run, open error rows, C, capture health and the mapping version, as tiles. */
export function SyncGauges({ sync, now }: { sync: SyncView; now: number }) {
  const { delay } = sync;
  const cursor = sync.settings.mode === 'cursor';
  const behind = sync.version.running !== null && sync.version.running < sync.version.latest;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <Gauge label="Delay D now" testId="sync-delay" value={formatDelay(delay.liveMs)} data={{ ms: delay.liveMs ?? '' }}>
        {delay.oldestPendingMs !== null
          ? `oldest change waiting: ${formatDelay(delay.oldestPendingMs)}`
          : delay.lastAppliedAt
            ? `last change applied ${ago(delay.lastAppliedAt, now)}`
            : 'no change applied yet'}
      </Gauge>
      <Gauge label="Changes per second (S)" testId="sync-rate" value={formatRate(sync.changesPerSecond)}>
        {formatCount(sync.changesLastMinute)} in the last minute
      </Gauge>
      <Gauge label={cursor ? 'Last run' : 'Last batch'} testId="sync-last-run" value={sync.lastRun ? ago(sync.lastRun.at, now) : '—'}>
        {sync.lastRun ? `${formatCount(sync.lastRun.changes)} change(s)` : 'none yet'}
        {cursor && <> · next run {sync.nextRunAt ? ago(sync.nextRunAt, now) : '—'}</>}
      </Gauge>
      <Gauge label="Open error rows" testId="sync-open-errors" value={formatCount(sync.openErrorRows)}>
        retried on every run until they pass or are dismissed
      </Gauge>
      <Gauge
        label="Consistency C"
        testId="sync-consistency"
        value={sync.consistency?.score != null ? <Badge tone={scoreTone(sync.consistency.score)}>{formatScore(sync.consistency.score)}</Badge> : '—'}
      >
        {sync.consistency ? (
          <Link href={`/mappings/${sync.mapping.id}/consistency`} className="text-indigo-700 hover:underline">
            verified {ago(sync.consistency.finishedAt, now)}
          </Link>
        ) : (
          'not verified yet'
        )}
        {' · '}
        {sync.verifyMinutes > 0 ? `every ${sync.verifyMinutes} min` : 'no scheduled verification'}
      </Gauge>
      {!cursor && (
        <Gauge
          label="Change log"
          testId="sync-capture-health"
          value={sync.captureHealth ? <Badge tone={healthTones[sync.captureHealth.state] ?? 'neutral'}>{sync.captureHealth.state.replace(/_/g, ' ')}</Badge> : '—'}
          data={{ state: sync.captureHealth?.state ?? '' }}
        >
          {sync.captureHealth ? (
            <>
              {[
                sync.captureHealth.message,
                sync.captureHealth.retainedBytes !== null ? `${bytes(sync.captureHealth.retainedBytes)} retained` : '',
                `checked ${ago(sync.captureHealth.checkedAt, now)}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </>
          ) : (
            'checked while the reader runs'
          )}
        </Gauge>
      )}
      <Gauge label="Mapping version" testId="sync-version" value={sync.version.running !== null ? `v${sync.version.running}` : '—'}>
        {behind ? (
          <span className="text-amber-700">v{sync.version.latest} is the latest: stop and start again to use it</span>
        ) : (
          `latest is v${sync.version.latest}`
        )}
      </Gauge>
    </div>
  );
}
