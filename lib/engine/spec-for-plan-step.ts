import type { MappingSpec } from '../schemas/mapping-spec';

/**
 * The spec a plan's migration step writes with. A cycle between mappings is broken by
 * deferring reference fields (plan-graph.ts): the `load` step writes the rows without them
 * (the columns are left out of the write, so a re-run does not blank a value a fill wrote),
 * and the `fill` step, once the parents are loaded, updates only those fields by the target
 * key. Any other job writes the spec as saved.
 */
export function specForPlanStep(spec: MappingSpec, mappingId: string, step: string | null, planSteps: unknown): MappingSpec {
  if (step === null) return spec;
  const deferred = deferredFieldsOf(planSteps, mappingId);
  if (deferred.size === 0) return spec;
  if (step === 'load') return { ...spec, fields: spec.fields.filter((field) => !deferred.has(field.target)) };
  if (step === 'fill') {
    const keep = new Set([...spec.target.key, ...deferred]);
    return { ...spec, writeMode: 'update', fields: spec.fields.filter((field) => keep.has(field.target)) };
  }
  return spec;
}

/** The fields a plan run defers for one mapping (PlanSteps.deferred, stored with the run). */
export function deferredFieldsOf(planSteps: unknown, mappingId: string): Set<string> {
  const deferred = (planSteps as { deferred?: { mappingId: string; fields: string[] }[] } | null | undefined)?.deferred ?? [];
  return new Set(deferred.filter((d) => d.mappingId === mappingId).flatMap((d) => d.fields));
}
