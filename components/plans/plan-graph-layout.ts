import type { PlanEdge, PlanSteps } from '@/lib/plans/plan-graph';

export const BOX_WIDTH = 280;
export const BOX_HEIGHT = 176;
const COLUMN_GAP = 110;
const ROW_GAP = 36;
const PADDING = 16;

export interface BoxPlace {
  mappingId: string;
  x: number;
  y: number;
}

export interface EdgePath {
  /** The links between one parent and one child that are drawn as one arrow (a reference and the target's foreign key on the same field). */
  edges: PlanEdge[];
  parent: string;
  child: string;
  /** The child's fields carrying the links. */
  fields: string[];
  /** Deferred to a second pass, or ignored to break a cycle: drawn dashed. */
  dashed: boolean;
  path: string;
  labelX: number;
  labelY: number;
}

const sameEdge = (a: PlanEdge, b: PlanEdge) => a.child === b.child && a.parent === b.parent && a.why === b.why && a.fields.join(',') === b.fields.join(',');

/**
 * Where each mapping's box goes (one column per layer, roots on the left, members in the
 * graph's order within a column) and the arrows between them, parent → child.
 */
export function layoutPlanGraph(graph: PlanSteps): { boxes: Map<string, BoxPlace>; edges: EdgePath[]; width: number; height: number } {
  const perLayer = new Map<number, number>();
  const boxes = new Map<string, BoxPlace>();
  for (const member of graph.members) {
    const row = perLayer.get(member.layer) ?? 0;
    perLayer.set(member.layer, row + 1);
    boxes.set(member.mappingId, { mappingId: member.mappingId, x: PADDING + member.layer * (BOX_WIDTH + COLUMN_GAP), y: PADDING + row * (BOX_HEIGHT + ROW_GAP) });
  }
  const layers = Math.max(1, ...[...perLayer.keys()].map((l) => l + 1));
  const rows = Math.max(1, ...perLayer.values());
  const bent = graph.cycles.flatMap((c) => [...(c.breakAt ? [c.breakAt] : []), ...c.ignored]);
  // One arrow per parent, child and kind of line: a reference and a foreign key on the same field are one link to the reader.
  const arrows = new Map<string, { parent: string; child: string; dashed: boolean; edges: PlanEdge[] }>();
  for (const edge of graph.edges) {
    const dashed = bent.some((b) => sameEdge(b, edge));
    const key = `${edge.parent}|${edge.child}|${dashed}`;
    const arrow = arrows.get(key) ?? { parent: edge.parent, child: edge.child, dashed, edges: [] };
    arrow.edges.push(edge);
    arrows.set(key, arrow);
  }
  const edges: EdgePath[] = [];
  [...arrows.values()].forEach((arrow, index) => {
    const from = boxes.get(arrow.parent);
    const to = boxes.get(arrow.child);
    if (!from || !to) return;
    const fields = [...new Set(arrow.edges.flatMap((e) => e.fields))];
    const base = { edges: arrow.edges, parent: arrow.parent, child: arrow.child, fields, dashed: arrow.dashed };
    // Two arrows between the same boxes (one dashed) are spread apart so their labels stay readable.
    const spread = (index % 3) * 16 - 16;
    if (arrow.child === arrow.parent) {
      const x = from.x + BOX_WIDTH - 40;
      const y = from.y;
      edges.push({ ...base, path: `M ${x} ${y} C ${x} ${y - 40}, ${x + 60} ${y - 40}, ${x + 40} ${y + 4}`, labelX: x + 20, labelY: y - 30 + spread });
      return;
    }
    const forward = to.x > from.x;
    const x1 = forward ? from.x + BOX_WIDTH : from.x + BOX_WIDTH / 2;
    const y1 = forward ? from.y + BOX_HEIGHT / 2 + spread : from.y + BOX_HEIGHT;
    const x2 = forward ? to.x : to.x + BOX_WIDTH / 2;
    const y2 = forward ? to.y + BOX_HEIGHT / 2 + spread : to.y;
    const path = forward
      ? `M ${x1} ${y1} C ${x1 + COLUMN_GAP / 2} ${y1}, ${x2 - COLUMN_GAP / 2} ${y2}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${x1 + 80} ${y1 + 60}, ${x2 + 80} ${y2 - 60}, ${x2} ${y2}`;
    edges.push({ ...base, path, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 - 6 });
  });
  return {
    boxes,
    edges,
    width: PADDING * 2 + layers * BOX_WIDTH + (layers - 1) * COLUMN_GAP,
    height: PADDING * 2 + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP + 40,
  };
}
