'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SyncView } from '@/lib/schemas/sync-view';
import { formatDelay } from './sync-format';

const minute = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * p50 and p95 of the delay D per minute over the last hour, from the histograms every
 * applied batch stores (a percentile is its bucket's upper bound: never better than true).
 * Minutes without changes are gaps, not zeros.
 */
export function DelayChart({ delay }: { delay: SyncView['delay'] }) {
  const withChanges = delay.points.filter((p) => p.changes > 0).length;
  return (
    <div data-testid="delay-chart" data-points={withChanges}>
      <p className="mb-2 text-sm text-slate-600">
        Last hour: p50 <span data-testid="delay-hour-p50" className="font-medium text-slate-900">{formatDelay(delay.hourP50Ms)}</span> · p95{' '}
        <span data-testid="delay-hour-p95" className="font-medium text-slate-900">{formatDelay(delay.hourP95Ms)}</span>
        <span className="text-xs text-slate-500"> · per {delay.bucketMinutes} min, {withChanges} with changes</span>
      </p>
      {withChanges === 0 ? (
        <p className="text-sm text-slate-500">No change applied in the last hour.</p>
      ) : (
        <div className="h-48 w-full">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={delay.points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid stroke="#e2e8f0" vertical={false} />
              <XAxis dataKey="at" tickFormatter={minute} minTickGap={40} fontSize={11} stroke="#64748b" />
              <YAxis tickFormatter={(v: number) => formatDelay(v)} width={64} fontSize={11} stroke="#64748b" />
              <Tooltip
                labelFormatter={(label) => minute(String(label))}
                formatter={(value, name) => [formatDelay(typeof value === 'number' ? value : null), name]}
              />
              <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
              <Line type="monotone" dataKey="p50Ms" name="p50" stroke="#6366f1" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="p95Ms" name="p95" stroke="#f59e0b" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
