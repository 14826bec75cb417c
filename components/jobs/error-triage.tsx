'use client';
import { countBy, topCauses, type ErrorFacet, type FacetDimension, type FacetSelection } from '@/lib/jobs/error-facets';

const dimensions: { dimension: FacetDimension; label: string }[] = [
  { dimension: 'stage', label: 'Stage' },
  { dimension: 'field', label: 'Field' },
  { dimension: 'code', label: 'Code' },
];

const chip = (active: boolean) =>
  `inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${
    active ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:border-indigo-400 hover:bg-indigo-50'
  }`;

const share = (count: number, total: number) => (total === 0 ? '' : `${Math.round((count / total) * 100)} %`);

/**
 * Why a job's rows fail, counted: the largest causes (stage · field · code) and the counts
 * per stage, field and code within what is already chosen. Every count is a filter: a click
 * narrows the list to those rows, a second click lets go.
 */
export function ErrorTriage({
  facets,
  selection,
  onSelect,
}: {
  facets: readonly ErrorFacet[];
  selection: FacetSelection;
  onSelect: (selection: FacetSelection) => void;
}) {
  if (facets.length === 0) return null;
  const open = facets.reduce((sum, f) => sum + f.count, 0);
  const causes = topCauses(facets, 5);
  const isCause = (f: ErrorFacet) => selection.stage === f.stage && selection.field === (f.field ?? undefined) && selection.code === f.code;
  return (
    <section aria-label="Failing rows by cause" data-testid="error-triage" className="mb-4 space-y-2 rounded-md border border-slate-200 bg-slate-50/60 p-3">
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="mr-1 text-xs font-semibold text-slate-600">Largest causes of {open.toLocaleString('en-US')} still failing:</span>
        {causes.map((f) => {
          const active = isCause(f);
          return (
            <button
              key={`${f.stage}|${f.field}|${f.code}`}
              type="button"
              data-testid="triage-cause"
              aria-pressed={active}
              title={active ? 'Show all causes again' : 'Show only these rows'}
              onClick={() => onSelect(active ? {} : { stage: f.stage, field: f.field ?? undefined, code: f.code })}
              className={chip(active)}
            >
              <span className="tabular-nums">{f.count.toLocaleString('en-US')}</span>
              <span className="opacity-70">({share(f.count, open)})</span>
              <span className="font-mono">
                {f.stage} · {f.field ?? '—'} · {f.code}
              </span>
            </button>
          );
        })}
      </div>
      {dimensions.map(({ dimension, label }) => {
        const counts = countBy(facets, dimension, selection);
        return (
          // No accessible label on the group or its chips that names the dimension: the list's own
          // Stage, Field and Code selects keep their labels to themselves.
          <div key={dimension} className="flex flex-wrap items-center gap-1.5" data-testid={`triage-${dimension}`} data-dimension={dimension}>
            <span className="w-12 text-xs font-semibold text-slate-600">{label}</span>
            {counts.map(({ value, count }) => {
              const active = value !== null && selection[dimension] === value;
              // Rows without a field (a whole-row failure) are counted but cannot be chosen on their own.
              return value === null ? (
                <span key="none" className="inline-flex items-center gap-1 rounded-full border border-dashed border-slate-300 px-2 py-0.5 text-xs text-slate-500">
                  (no field) <span className="tabular-nums">{count.toLocaleString('en-US')}</span>
                </span>
              ) : (
                <button
                  key={value}
                  type="button"
                  aria-pressed={active}
                  aria-label={`${value}: ${count} row(s)`}
                  onClick={() => onSelect({ ...selection, [dimension]: active ? undefined : value })}
                  className={chip(active)}
                >
                  <span className="font-mono">{value}</span>
                  <span className="tabular-nums opacity-80">{count.toLocaleString('en-US')}</span>
                </button>
              );
            })}
          </div>
        );
      })}
    </section>
  );
}
