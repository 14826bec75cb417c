import { ApiError } from '@/hooks/api-client';
import { ErrorNotice } from '@/components/ui/card';

const LEAD = 'The source is not ready for change capture.';

/**
 * Why a start was refused. When the source lacks what change capture needs, the answer
 * names each problem (issues `source.<code>`) and its message carries the statements that
 * fix them: shown as a list and a script to hand to the database's administrator.
 */
export function StartRefusal({ error }: { error: unknown }) {
  if (!error) return null;
  const problems = error instanceof ApiError ? error.issues.filter((i) => i.path.startsWith('source.')) : [];
  if (!(error instanceof ApiError) || problems.length === 0) return <ErrorNotice error={error} />;
  const script = error.message.startsWith(LEAD) ? error.message.slice(LEAD.length).trim() : error.message;
  return (
    <div role="alert" data-testid="capture-problems" className="space-y-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      <p className="font-medium">{LEAD} An administrator of the source database fixes this; then start again.</p>
      <ul className="list-disc pl-5">
        {problems.map((p) => (
          <li key={p.path}>
            <span className="font-mono text-xs">{p.path.slice('source.'.length)}</span>: {p.message}
          </li>
        ))}
      </ul>
      <pre data-testid="capture-fixes" className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-white px-2 py-1 font-mono text-xs text-slate-800">
        {script}
      </pre>
    </div>
  );
}
