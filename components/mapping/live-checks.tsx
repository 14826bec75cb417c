'use client';
import { SeverityDot } from './controls';
import type { MappingDraft } from './mapping-draft';
import { describeIssuePath, issueTarget, type EditorIssue } from './mapping-issues';
import { fieldElementId } from './target-field-row';

const originRank: Record<EditorIssue['origin'], number> = { server: 0, schema: 1, editor: 2, check: 3 };

function focusField(target: string) {
  const element = document.getElementById(fieldElementId(target));
  if (!element) return;
  element.scrollIntoView({ behavior: 'smooth', block: 'center' });
  element.classList.add('ring-2', 'ring-indigo-400');
  window.setTimeout(() => element.classList.remove('ring-2', 'ring-indigo-400'), 1200);
  element.querySelector<HTMLElement>('select, input')?.focus({ preventScroll: true });
}

/**
 * Everything wrong with the draft, live: schema issues, checks against the real tables,
 * and the server's answer to the last save. Errors block saving; warnings do not.
 */
export function LiveChecks({ issues, draft }: { issues: readonly EditorIssue[]; draft: MappingDraft }) {
  const sorted = [...issues].sort(
    (a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || originRank[a.origin] - originRank[b.origin],
  );
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  return (
    <section aria-label="Checks" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex items-center gap-2 border-b border-slate-200 px-4 py-2.5">
        <h2 className="text-sm font-semibold text-slate-800">Checks</h2>
        <span className="ml-auto flex gap-2 text-xs" data-testid="mapping-issue-counts">
          <span className={errors > 0 ? 'font-semibold text-red-700' : 'text-slate-400'}>
            {errors} error{errors === 1 ? '' : 's'}
          </span>
          <span className={warnings > 0 ? 'font-semibold text-amber-700' : 'text-slate-400'}>
            {warnings} warning{warnings === 1 ? '' : 's'}
          </span>
        </span>
      </header>
      {sorted.length === 0 ? (
        <p className="flex items-center gap-2 px-4 py-3 text-xs text-emerald-700" data-testid="mapping-checks-ok">
          <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 fill-current">
            <path d="M6.2 11.6 2.9 8.3l1.1-1.1 2.2 2.2 5.8-5.8 1.1 1.1z" />
          </svg>
          No problems found.
        </p>
      ) : (
        <ul aria-label="Mapping checks" className="max-h-[60vh] divide-y divide-slate-100 overflow-y-auto">
          {sorted.map((issue, index) => {
            const label = describeIssuePath(issue.path, draft, issue.code, issue.message);
            const target = issueTarget(issue.path, draft, issue.code, issue.message);
            const text = (
              <>
                <span className="font-semibold">{label}</span>: {issue.message}
              </>
            );
            return (
              <li
                key={`${issue.origin}:${issue.path}:${issue.code}:${index}`}
                data-testid="mapping-issue"
                data-severity={issue.severity}
                data-path={issue.path}
                data-code={issue.code}
                className={`flex gap-2 px-4 py-2 text-xs ${issue.severity === 'error' ? 'bg-red-50/60 text-red-800' : 'bg-amber-50/60 text-amber-900'}`}
              >
                <span className="mt-1">
                  <SeverityDot severity={issue.severity} />
                </span>
                <span className="min-w-0 flex-1 break-words">
                  {target ? (
                    <button type="button" onClick={() => focusField(target)} className="text-left hover:underline">
                      {text}
                    </button>
                  ) : (
                    text
                  )}
                  {issue.origin === 'server' && (
                    <>
                      {' '}
                      <span className="rounded bg-white/70 px-1 text-[10px] text-red-600">from server</span>
                    </>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
