'use client';
import type { PlanSteps } from '@/lib/plans/plan-graph';
import type { PlanRunView } from '@/lib/plans/plan-view';
import { BOX_HEIGHT, BOX_WIDTH, layoutPlanGraph } from './plan-graph-layout';
import { PlanStepBox, type StepBoxMember } from './plan-step-box';

/**
 * The plan as a graph: one column per layer (parents left of their children), one box per
 * mapping, an arrow from parent to child labelled with the child's fields that carry the
 * link. Links deferred to a second pass or ignored to break a cycle are dashed.
 */
export function PlanGraphView({
  graph,
  members,
  run,
  onRerun,
}: {
  graph: PlanSteps;
  members: StepBoxMember[];
  run: PlanRunView | null;
  onRerun: ((mappingId: string) => void) | null;
}) {
  const layout = layoutPlanGraph(graph);
  const memberOf = new Map(members.map((m) => [m.mappingId, m]));
  const nameOf = new Map(graph.members.map((m) => [m.mappingId, m.name]));
  const stepOf = (mappingId: string, pass: 'load' | 'fill') => run?.steps.find((s) => s.mappingId === mappingId && s.pass === pass);
  return (
    <div className="overflow-x-auto">
      <div data-testid="plan-graph" className="relative" style={{ width: layout.width, height: layout.height }}>
        <svg className="absolute inset-0" width={layout.width} height={layout.height} aria-hidden>
          <defs>
            <marker id="plan-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
            </marker>
          </defs>
          {layout.edges.map((e, index) => (
            <g key={index}>
              <path d={e.path} fill="none" stroke={e.dashed ? '#d97706' : '#64748b'} strokeWidth={1.5} strokeDasharray={e.dashed ? '6 4' : undefined} markerEnd="url(#plan-arrow)" />
            </g>
          ))}
        </svg>
        {layout.edges.map((e, index) => (
          <span
            key={index}
            data-testid="plan-edge"
            data-dashed={e.dashed}
            title={e.edges.map((edge) => edge.label).join('\n')}
            className={`absolute -translate-x-1/2 -translate-y-1/2 whitespace-nowrap rounded px-1 font-mono text-[10px] ${e.dashed ? 'bg-amber-50 text-amber-800' : 'bg-white text-slate-600'}`}
            style={{ left: e.labelX, top: e.labelY }}
          >
            {e.fields.length > 0 ? e.fields.join(', ') : e.edges[0].why.replace('_', ' ')}
          </span>
        ))}
        {[...layout.boxes.values()].map((place) => {
          const member = memberOf.get(place.mappingId) ?? { mappingId: place.mappingId, name: nameOf.get(place.mappingId) ?? place.mappingId, sourceTable: null, targetTable: null };
          return (
            <div key={place.mappingId} className="absolute" style={{ left: place.x, top: place.y, width: BOX_WIDTH, height: BOX_HEIGHT }}>
              <PlanStepBox
                member={member}
                load={stepOf(place.mappingId, 'load')}
                fill={stepOf(place.mappingId, 'fill')}
                deferredFields={graph.deferred.find((d) => d.mappingId === place.mappingId)?.fields ?? []}
                onRerun={onRerun ? () => onRerun(place.mappingId) : null}
              />
            </div>
          );
        })}
      </div>
      <p className="mt-2 flex flex-wrap gap-4 text-xs text-slate-500">
        <span>Arrows run from a parent to the mapping that refers to it, labelled with the fields that carry the link.</span>
        {layout.edges.some((e) => e.dashed) && <span className="text-amber-700">Dashed: written in a 2nd pass, or ignored, to break a cycle.</span>}
      </p>
    </div>
  );
}
