'use client';
import type { AutoMapProposal } from '@/lib/mapping/auto-map';
import { Button } from '@/components/ui/button';
import type { MappingDraft } from './mapping-draft';

function scoreTone(score: number): string {
  if (score >= 0.9) return 'bg-emerald-100 text-emerald-800';
  if (score >= 0.7) return 'bg-indigo-100 text-indigo-800';
  return 'bg-amber-100 text-amber-800';
}

function basisText(evidence: { sampledRows: number } | { unavailable: string } | null): string {
  if (evidence === null) return 'matched by name, synonyms, keys and type';
  if ('unavailable' in evidence) return `matched by name, synonyms, keys and type (no sample of values: ${evidence.unavailable})`;
  if (evidence.sampledRows === 0) return 'matched by name, synonyms, keys and type (the source has no rows to sample)';
  return `matched by name, synonyms, keys, type and ${evidence.sampledRows} sampled source row(s)`;
}

/** Auto-map proposals, each accepted or rejected by the analyst; nothing is linked on its own. */
export function AutoMapPanel({
  proposals,
  evidence = null,
  draft,
  onAccept,
  onReject,
  onAcceptAll,
  onDismiss,
}: {
  proposals: AutoMapProposal[];
  /** Rows of the source whose values ranked the proposals, or why none could be read. */
  evidence?: { sampledRows: number } | { unavailable: string } | null;
  draft: MappingDraft;
  onAccept: (proposal: AutoMapProposal) => void;
  onReject: (proposal: AutoMapProposal) => void;
  onAcceptAll: () => void;
  onDismiss: () => void;
}) {
  const currentSource = (target: string) => draft.fields.find((field) => field.target === target)?.sources[0];
  return (
    <section aria-label="Auto-map proposals" data-testid="automap-panel" className="mb-4 rounded-md border border-indigo-200 bg-indigo-50/50 p-3">
      <div className="mb-2 flex items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-800">Auto-map proposals</h3>
        <span className="text-xs text-slate-500" data-testid="automap-basis">
          {proposals.length === 0 ? 'nothing left to review' : `${proposals.length} to review · ${basisText(evidence)}`}
        </span>
        <span className="ml-auto flex gap-2">
          {proposals.length > 0 && <Button onClick={onAcceptAll}>Accept all</Button>}
          <Button variant="secondary" onClick={onDismiss}>
            {proposals.length > 0 ? 'Reject all' : 'Close'}
          </Button>
        </span>
      </div>
      {proposals.length === 0 ? (
        <p className="text-xs text-slate-600">No (more) confident matches. Link the remaining fields by hand.</p>
      ) : (
        <ul className="max-h-80 divide-y divide-indigo-100 overflow-y-auto rounded border border-indigo-100 bg-white">
          {proposals.map((proposal) => {
            const current = currentSource(proposal.target);
            const name = `${proposal.source} → ${proposal.target}`;
            return (
              <li key={`${proposal.target}:${proposal.source}`} data-testid="automap-proposal" aria-label={`Proposal ${name}`} className="flex items-center gap-3 px-3 py-1.5 text-xs">
                <span className="w-48 shrink-0 truncate font-mono text-slate-800" title={name}>
                  {proposal.source} <span className="text-slate-400">→</span> {proposal.target}
                </span>
                <span className={`shrink-0 rounded-full px-1.5 py-0.5 text-[10px] font-semibold ${scoreTone(proposal.score)}`} title={`score ${proposal.score}`}>
                  {Math.round(proposal.score * 100)}%
                </span>
                <span className="min-w-0 flex-1 truncate text-slate-600" title={proposal.reason}>
                  {proposal.reason}
                  {current && current !== proposal.source && <span className="ml-1 text-amber-700">(replaces {current})</span>}
                </span>
                <span className="flex shrink-0 gap-1">
                  <button
                    type="button"
                    aria-label={`Accept ${name}`}
                    onClick={() => onAccept(proposal)}
                    className="rounded border border-emerald-300 bg-white px-2 py-0.5 font-medium text-emerald-800 hover:bg-emerald-50"
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    aria-label={`Reject ${name}`}
                    onClick={() => onReject(proposal)}
                    className="rounded border border-slate-300 bg-white px-2 py-0.5 font-medium text-slate-600 hover:bg-slate-50"
                  >
                    Reject
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
