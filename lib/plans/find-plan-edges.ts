import type { PlanEdge, PlanGraphMember } from './plan-graph';

/**
 * The links between a plan's mappings (see plan-graph.ts): reference fields, target
 * foreign keys onto a table another member writes on the same target connection, and
 * source foreign keys onto a table another member reads on the same source connection.
 * One edge per (child, parent, fields), the first kind found winning.
 */
export function findPlanEdges(members: PlanGraphMember[], byId: Map<string, PlanGraphMember>): PlanEdge[] {
  const edges: PlanEdge[] = [];
  const seen = new Set<string>();
  // Reference edges go first so an equal foreign-key edge (same child, parent and fields) is the one dropped.
  const add = (edge: PlanEdge) => {
    const key = JSON.stringify([edge.child, edge.parent, edge.fields]);
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
  };
  for (const child of members) {
    for (const field of child.spec.fields) {
      const parent = field.reference ? byId.get(field.reference.mapping) : undefined;
      if (!parent) continue;
      add({ child: child.mappingId, parent: parent.mappingId, why: 'reference', fields: [field.target], label: `${child.spec.target.table}.${field.target} → ${parent.spec.target.table} (reference)` });
    }
  }
  for (const child of members) {
    for (const fk of child.targetForeignKeys) {
      // An unmapped foreign key column is left to its default: nothing to wait for.
      const fields = fk.columns.filter((column) => child.spec.fields.some((field) => field.target === column));
      if (fields.length === 0) continue;
      for (const parent of members) {
        if (parent.targetConnectionId !== child.targetConnectionId || parent.spec.target.table !== fk.referencedTable) continue;
        add({ child: child.mappingId, parent: parent.mappingId, why: 'target_fk', fields, label: `${child.spec.target.table}.${fields.join(', ')} → ${fk.referencedTable} (target foreign key)` });
      }
    }
  }
  for (const child of members) {
    for (const fk of child.sourceForeignKeys) {
      const fields = child.spec.fields.filter((field) => field.sources.some((source) => fk.columns.includes(source))).map((field) => field.target);
      for (const parent of members) {
        if (parent.sourceConnectionId !== child.sourceConnectionId || parent.spec.source.table !== fk.referencedTable) continue;
        add({ child: child.mappingId, parent: parent.mappingId, why: 'source_fk', fields, label: `${child.spec.source.table}.${fk.columns.join(', ')} → ${fk.referencedTable} (source foreign key)` });
      }
    }
  }
  return edges;
}

