'use client';
import { useJobEvents } from '@/hooks/use-jobs';
import { Card } from '@/components/ui/card';

const levelColor = { info: 'text-slate-500', warn: 'text-amber-700', error: 'text-red-700' } as const;

export function JobEventLog({ jobId, revision }: { jobId: string; revision: string }) {
  const events = useJobEvents(jobId, revision);
  return (
    <Card title="Event log">
      <ol className="max-h-80 space-y-1 overflow-y-auto text-xs" data-testid="job-events">
        {(events.data ?? []).map((e) => (
          <li key={e.id} className="flex gap-3">
            <span className="shrink-0 tabular-nums text-slate-400">{new Date(e.at).toLocaleTimeString()}</span>
            <span className={`shrink-0 font-mono ${levelColor[e.level]}`}>{e.type}</span>
            <span className="text-slate-700">{e.message}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
