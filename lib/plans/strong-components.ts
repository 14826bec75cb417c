/**
 * Strongly connected components of a directed graph (Tarjan), iteratively so a long chain
 * of mappings cannot overflow the stack. Nodes are visited in the given order and each
 * component lists its nodes in that order, so the result is deterministic. Successors
 * that are not among the nodes are ignored.
 */
export function strongComponents(nodes: readonly string[], successors: (node: string) => readonly string[]): string[][] {
  const order = new Map(nodes.map((node, position) => [node, position]));
  const visits = new Map<string, { index: number; low: number; onStack: boolean }>();
  const stack: string[] = [];
  const components: string[][] = [];

  for (const root of nodes) {
    if (visits.has(root)) continue;
    const frames: { node: string; visit: { index: number; low: number; onStack: boolean }; next: string[]; at: number }[] = [];
    const enter = (node: string) => {
      const visit = { index: visits.size, low: visits.size, onStack: true };
      visits.set(node, visit);
      stack.push(node);
      frames.push({ node, visit, next: successors(node).filter((s) => order.has(s)), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.at < frame.next.length) {
        const next = frame.next[frame.at++];
        const seen = visits.get(next);
        if (seen === undefined) enter(next);
        else if (seen.onStack) frame.visit.low = Math.min(frame.visit.low, seen.index);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) parent.visit.low = Math.min(parent.visit.low, frame.visit.low);
      if (frame.visit.low !== frame.visit.index) continue;
      const component: string[] = [];
      for (;;) {
        const member = stack.pop();
        if (member === undefined) break;
        const visit = visits.get(member);
        if (visit) visit.onStack = false;
        component.push(member);
        if (member === frame.node) break;
      }
      components.push(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
    }
  }
  return components;
}
