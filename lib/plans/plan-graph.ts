import type { TableDetail } from '../connectors/connector';
import type { MappingSpec } from '../schemas/mapping-spec';
import { breakPlanCycles, WHY_RANK } from './break-plan-cycles';
import { findPlanEdges } from './find-plan-edges';
import { strongComponents } from './strong-components';

export interface PlanGraphMember {
  mappingId: string;
  name: string;
  /** The mapping's latest version. */
  spec: MappingSpec;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** Of spec.source.table. */
  sourceForeignKeys: TableDetail['foreignKeys'];
  /** Of spec.target.table. */
  targetForeignKeys: TableDetail['foreignKeys'];
  targetColumns: { name: string; nullable: boolean }[];
}

export interface PlanEdge {
  /** Mapping ids: the child runs after the parent. */
  child: string;
  parent: string;
  why: 'reference' | 'target_fk' | 'source_fk';
  /** The child's target fields carrying the link ([] for a source foreign key no mapped field reads). */
  fields: string[];
  /** E.g. "deals.contact_id → contacts (reference)". */
  label: string;
}

export interface PlanCycle {
  mappingIds: string[];
  /** The link whose fields are written in a second pass; null when none is deferred. */
  breakAt: PlanEdge | null;
  message: string;
  /** Source foreign keys inside the cycle that were not respected: they alone never decide the order of a cycle. */
  ignored: PlanEdge[];
  /** True when no link of the cycle can be deferred: the plan cannot run until a field accepts NULL. */
  blocking: boolean;
}

export interface PlanSteps {
  /** layer = depth for drawing (roots 0). */
  members: { mappingId: string; name: string; layer: number }[];
  /** Every link found, the broken and ignored ones included. */
  edges: PlanEdge[];
  cycles: PlanCycle[];
  /** Reference fields left empty in the first pass and written by a second ("fill") pass. */
  deferred: { mappingId: string; fields: string[] }[];
  steps: { id: string; mappingId: string; pass: 'load' | 'fill'; dependsOn: string[] }[];
}

/**
 * The order in which a plan's mappings run. A mapping runs after every mapping it links
 * to: through a reference field, a foreign key of its target table onto a table another
 * mapping writes (same target connection), or one of its source table onto a table
 * another mapping reads (same source connection). Cycles (Tarjan) are resolved by first
 * ignoring their source foreign keys, then deferring a link whose fields all accept NULL:
 * the child is loaded without them and a "fill" step writes them once both sides are
 * loaded. A cycle with no such link is reported as blocking. Pure and deterministic
 * (members, edges and steps sorted by name).
 */
export function planGraph(input: PlanGraphMember[]): PlanSteps {
  const members = [...input].sort((a, b) => compareText(a.name, b.name) || compareText(a.mappingId, b.mappingId));
  const rank = new Map(members.map((member, index) => [member.mappingId, index]));
  const byId = new Map(members.map((member) => [member.mappingId, member]));
  const edges = findPlanEdges(members, byId).sort(
    (a, b) =>
      (rank.get(a.child) ?? 0) - (rank.get(b.child) ?? 0) ||
      (rank.get(a.parent) ?? 0) - (rank.get(b.parent) ?? 0) ||
      WHY_RANK[a.why] - WHY_RANK[b.why] ||
      compareText(a.fields.join(','), b.fields.join(',')),
  );
  const { cycles, broken, ignored } = breakPlanCycles(members, edges, byId);
  const respected = edges.filter((edge) => !broken.has(edge) && !ignored.has(edge) && edge.child !== edge.parent);
  const byRank = (a: string, b: string) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);

  const layers = longestPathLayers(members.map((m) => m.mappingId), respected);
  const loadParents = new Map<string, Set<string>>();
  for (const edge of respected) addTo(loadParents, edge.child, edge.parent);
  const fillParents = new Map<string, Set<string>>();
  const deferredFields = new Map<string, string[]>();
  for (const edge of broken) {
    addTo(fillParents, edge.child, edge.parent);
    const fields = deferredFields.get(edge.child) ?? [];
    deferredFields.set(edge.child, [...fields, ...edge.fields.filter((field) => !fields.includes(field))]);
  }

  const loadOrder = [...members].sort((a, b) => (layers.get(a.mappingId) ?? 0) - (layers.get(b.mappingId) ?? 0) || byRank(a.mappingId, b.mappingId));
  const steps: PlanSteps['steps'] = loadOrder.map((member) => ({
    id: `${member.mappingId}:load`,
    mappingId: member.mappingId,
    pass: 'load',
    dependsOn: [...(loadParents.get(member.mappingId) ?? [])].sort(byRank).map((parent) => `${parent}:load`),
  }));
  for (const member of members) {
    const parents = fillParents.get(member.mappingId);
    if (!parents) continue;
    const after = [member.mappingId, ...[...parents].filter((parent) => parent !== member.mappingId).sort(byRank)];
    steps.push({ id: `${member.mappingId}:fill`, mappingId: member.mappingId, pass: 'fill', dependsOn: after.map((id) => `${id}:load`) });
  }

  return {
    members: members.map((m) => ({ mappingId: m.mappingId, name: m.name, layer: layers.get(m.mappingId) ?? 0 })),
    edges,
    cycles,
    deferred: members.flatMap((m) => {
      const fields = deferredFields.get(m.mappingId);
      return fields ? [{ mappingId: m.mappingId, fields }] : [];
    }),
    steps,
  };
}

/**
 * The given mappings and every mapping that depends on them, directly or not, in the
 * plan's member order: what must run again when they are re-run (their target ids may
 * change). Deferred links count: a fill writes the parent's ids too. Ids that are not
 * members of the plan are left out.
 */
export function dependentsOf(steps: PlanSteps, mappingIds: string[]): string[] {
  const children = new Map<string, Set<string>>();
  for (const edge of steps.edges) addTo(children, edge.parent, edge.child);
  const reached = new Set<string>();
  const pending = [...mappingIds];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    pending.push(...(children.get(id) ?? []));
  }
  return steps.members.map((m) => m.mappingId).filter((id) => reached.has(id));
}

/** Depth over the respected links; mappings still in a (blocking) cycle share one layer. */
function longestPathLayers(ids: string[], edges: PlanEdge[]): Map<string, number> {
  const parentsOf = (id: string) => edges.filter((edge) => edge.child === id).map((edge) => edge.parent);
  const layers = new Map<string, number>();
  // Tarjan emits a component after every component it reaches, so parents come first.
  for (const component of strongComponents(ids, parentsOf)) {
    const inside = new Set(component);
    let layer = 0;
    for (const id of component) {
      for (const parent of parentsOf(id)) if (!inside.has(parent)) layer = Math.max(layer, (layers.get(parent) ?? 0) + 1);
    }
    for (const id of component) layers.set(id, layer);
  }
  return layers;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
