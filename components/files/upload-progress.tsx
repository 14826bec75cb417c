'use client';
import { Button } from '@/components/ui/button';
import { formatBytes, formatDuration } from './file-format';
import type { UploadState } from './use-file-upload';

/** The bar, the rate and the time left of an upload, with its cancel and resume buttons. */
export function UploadProgress({ state, onCancel, onResume }: { state: UploadState; onCancel: () => void; onResume: () => void }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'cancelled') {
    return (
      <p role="status" className="text-sm text-slate-600">
        {state.message}
      </p>
    );
  }
  const { sent, total, bytesPerSecond, secondsLeft, retry } = state.progress;
  const percent = total === 0 ? (state.phase === 'done' ? 100 : 0) : Math.floor((sent / total) * 100);
  return (
    <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="upload-progress">
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-800">
          {state.phase === 'done' ? 'Upload complete' : state.phase === 'stopped' ? 'Upload stopped' : 'Uploading…'}
        </span>
        <span className="tabular-nums text-slate-700" data-testid="upload-percent">
          {percent} %
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} %`}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full ${state.phase === 'stopped' ? 'bg-amber-500' : 'bg-indigo-600'} transition-[width]`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs tabular-nums text-slate-600">
        {formatBytes(sent)} of {formatBytes(total)}
        {bytesPerSecond !== null && ` · ${(bytesPerSecond / 1024 / 1024).toFixed(1)} MB/s`}
        {state.phase === 'sending' && secondsLeft !== null && ` · ${formatDuration(secondsLeft)} left`}
      </p>
      {retry && (
        <p role="status" className="text-xs text-amber-700">
          A chunk failed ({retry.message}); trying again, attempt {retry.attempt} of 3…
        </p>
      )}
      {state.phase === 'stopped' && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
          {state.resumable && ' The bytes received so far are kept: resume to send the rest.'}
        </p>
      )}
      <div className="flex gap-2">
        {state.phase === 'stopped' && state.resumable && <Button onClick={onResume}>Resume</Button>}
        {(state.phase === 'sending' || state.phase === 'stopped') && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel upload
          </Button>
        )}
      </div>
    </div>
  );
}
