import type { PlanCycle, PlanEdge, PlanGraphMember } from './plan-graph';
import { strongComponents } from './strong-components';

/** Links to defer: references first, then target foreign keys (source foreign keys are ignored, never deferred). */
export const WHY_RANK: Record<PlanEdge['why'], number> = { reference: 0, target_fk: 1, source_fk: 2 };

export interface CycleResolution {
  cycles: PlanCycle[];
  broken: Set<PlanEdge>;
  ignored: Set<PlanEdge>;
}

/**
 * Resolves the cycles among a plan's links (Tarjan): inside each, its source foreign keys
 * are ignored first; if a cycle remains, the (child, parent) link whose fields all accept
 * NULL and whose deferral leaves the fewest mappings in a cycle is broken (its fields are
 * written by a fill step), and the rest is resolved again. A cycle without such a link is
 * reported as blocking, naming the field that would have to accept NULL.
 */
export function breakPlanCycles(members: PlanGraphMember[], edges: PlanEdge[], byId: Map<string, PlanGraphMember>): CycleResolution {
  const broken = new Set<PlanEdge>();
  const ignored = new Set<PlanEdge>();
  const cycles: PlanCycle[] = [];
  const active = (edge: PlanEdge) => !broken.has(edge) && !ignored.has(edge);
  const within = (nodes: ReadonlySet<string>) => edges.filter((edge) => active(edge) && nodes.has(edge.child) && nodes.has(edge.parent));
  const cyclesAmong = (nodes: string[], without: ReadonlySet<PlanEdge> = new Set()) => {
    const inner = within(new Set(nodes)).filter((edge) => !without.has(edge));
    const parentsOf = (node: string) => inner.filter((edge) => edge.child === node).map((edge) => edge.parent);
    return strongComponents(nodes, parentsOf).filter((c) => c.length > 1 || inner.some((edge) => edge.child === c[0] && edge.parent === c[0]));
  };
  const tableOf = (id: string) => byId.get(id)?.spec.target.table ?? id;
  const describe = (path: string[]) => `cycle ${path.map(tableOf).join(' → ')}`;

  const queue: { nodes: string[]; fresh: boolean }[] = cyclesAmong(members.map((m) => m.mappingId)).map((nodes) => ({ nodes, fresh: true }));
  while (queue.length > 0) {
    const { nodes, fresh } = queue.shift() as { nodes: string[]; fresh: boolean };
    const all = within(new Set(nodes));
    const sourceOnly = fresh ? all.filter((edge) => edge.why === 'source_fk') : [];
    for (const edge of sourceOnly) ignored.add(edge);
    const remaining = cyclesAmong(nodes);
    if (remaining.length === 0) {
      if (sourceOnly.length > 0) {
        const first = sourceOnly[0];
        cycles.push({
          mappingIds: nodes,
          breakAt: null,
          ignored: sourceOnly,
          blocking: false,
          message: `${describe(cyclePath(first, all))}: only source foreign keys close it (${sourceOnly.map((e) => e.label).join('; ')}); they do not decide the order inside a cycle and are ignored`,
        });
      }
      continue;
    }
    remaining.forEach((component, index) => {
      const carried = index === 0 ? sourceOnly : [];
      const inner = within(new Set(component));
      const pairs = linkPairs(inner).map((pair) => ({ ...pair, blockers: nonNullable(byId.get(pair.child), pair.fields) }));
      const breakable = pairs.filter((pair) => pair.fields.length > 0 && pair.blockers.length === 0);
      if (breakable.length === 0) {
        const least = [...pairs].sort((a, b) => a.blockers.length - b.blockers.length)[0];
        const child = tableOf(least.child);
        const fields = least.blockers.map((field) => `${child}.${field}`).join(', ');
        cycles.push({
          mappingIds: component,
          breakAt: null,
          ignored: carried,
          blocking: true,
          message: `${describe(cyclePath(least.edges[0], inner))} cannot be broken: ${fields} would need to accept NULL, so that ${least.blockers.length === 1 ? 'it' : 'they'} can be written in a second pass`,
        });
        return;
      }
      // The link whose deferral leaves the fewest mappings in a cycle; ties keep the preferred order.
      const cost = (pair: (typeof breakable)[number]) => cyclesAmong(component, new Set(pair.edges)).reduce((sum, c) => sum + c.length, 0);
      const chosen = breakable.map((pair) => ({ pair, cost: cost(pair) })).sort((a, b) => a.cost - b.cost)[0].pair;
      const path = cyclePath(chosen.edges[0], inner);
      for (const edge of chosen.edges) broken.add(edge);
      const breakAt: PlanEdge =
        chosen.edges.length === 1
          ? chosen.edges[0]
          : { child: chosen.child, parent: chosen.parent, why: chosen.edges[0].why, fields: chosen.fields, label: chosen.edges.map((e) => e.label).join('; ') };
      const nullable = `${chosen.fields.map((field) => `${tableOf(chosen.child)}.${field}`).join(', ')} (nullable)`;
      cycles.push({ mappingIds: component, breakAt, ignored: carried, blocking: false, message: `${describe(path)}: break at ${nullable}: written in a second pass` });
      queue.push({ nodes: component, fresh: false });
    });
  }
  return { cycles, broken, ignored };
}

/** The links of a cycle grouped by (child, parent): deferring one field leaves the others linking. */
function linkPairs(edges: PlanEdge[]): { child: string; parent: string; edges: PlanEdge[]; fields: string[] }[] {
  const pairs = new Map<string, { child: string; parent: string; edges: PlanEdge[]; fields: string[] }>();
  for (const edge of edges) {
    const key = JSON.stringify([edge.child, edge.parent]);
    const pair = pairs.get(key) ?? { child: edge.child, parent: edge.parent, edges: [], fields: [] };
    pair.edges.push(edge);
    for (const field of edge.fields) if (!pair.fields.includes(field)) pair.fields.push(field);
    pairs.set(key, pair);
  }
  const rankOf = (pair: { edges: PlanEdge[] }) => Math.min(...pair.edges.map((e) => WHY_RANK[e.why]));
  // Stable sort: within a rank, the edges' own order (child, then parent, by name).
  return [...pairs.values()].sort((a, b) => rankOf(a) - rankOf(b));
}

/** The fields that do not accept NULL in the child's target (an unknown column counts as not). */
function nonNullable(child: PlanGraphMember | undefined, fields: string[]): string[] {
  return fields.filter((field) => !(child?.targetColumns.find((column) => column.name === field)?.nullable ?? false));
}

/** child → parent → … → child, the shortest way back through the given edges. */
function cyclePath(start: PlanEdge, edges: PlanEdge[]): string[] {
  if (start.child === start.parent) return [start.child, start.child];
  const cameFrom = new Map<string, string>([[start.parent, start.parent]]);
  const frontier = [start.parent];
  while (frontier.length > 0 && !cameFrom.has(start.child)) {
    const node = frontier.shift() as string;
    for (const edge of edges) {
      if (edge.child !== node || cameFrom.has(edge.parent)) continue;
      cameFrom.set(edge.parent, node);
      frontier.push(edge.parent);
    }
  }
  const back: string[] = [];
  for (let node: string | undefined = start.child; node !== undefined && node !== start.parent; node = cameFrom.get(node)) back.unshift(node);
  return [start.child, start.parent, ...back];
}

