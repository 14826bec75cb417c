import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanEdge, PlanSteps } from '@/lib/plans/plan-graph';
import { BOX_WIDTH, layoutPlanGraph } from './plan-graph-layout';

const edge = (child: string, parent: string, fields: string[]): PlanEdge => ({ child, parent, why: 'reference', fields, label: `${child}.${fields.join(',')} → ${parent}` });

test('parents sit in columns left of their children; boxes of one layer stack', () => {
  const graph: PlanSteps = {
    members: [
      { mappingId: 'contacts', name: 'contacts', layer: 0 },
      { mappingId: 'deals', name: 'deals', layer: 1 },
      { mappingId: 'cases', name: 'cases', layer: 1 },
      { mappingId: 'payments', name: 'payments', layer: 2 },
    ],
    edges: [edge('deals', 'contacts', ['contact_id']), edge('cases', 'contacts', ['contact_id']), edge('payments', 'deals', ['deal_id'])],
    cycles: [],
    deferred: [],
    steps: [],
  };
  const layout = layoutPlanGraph(graph);
  const at = (id: string) => layout.boxes.get(id)!;
  assert.ok(at('deals').x >= at('contacts').x + BOX_WIDTH);
  assert.ok(at('payments').x >= at('deals').x + BOX_WIDTH);
  assert.equal(at('deals').x, at('cases').x);
  assert.notEqual(at('deals').y, at('cases').y);
  assert.equal(layout.edges.length, 3);
  assert.ok(layout.edges.every((e) => !e.dashed));
  assert.ok(layout.width >= at('payments').x + BOX_WIDTH);
});

test('a link deferred to a second pass, or ignored in a cycle, is dashed; the others are not', () => {
  const deferred = edge('contacts', 'accounts', ['primary_account_id']);
  const kept = edge('accounts', 'contacts', ['owner_id']);
  const ignored: PlanEdge = { ...edge('accounts', 'contacts', []), why: 'source_fk' };
  const graph: PlanSteps = {
    members: [
      { mappingId: 'contacts', name: 'contacts', layer: 0 },
      { mappingId: 'accounts', name: 'accounts', layer: 1 },
    ],
    edges: [kept, ignored, deferred],
    cycles: [{ mappingIds: ['accounts', 'contacts'], breakAt: { ...deferred }, message: 'cycle', ignored: [{ ...ignored }], blocking: false }],
    deferred: [{ mappingId: 'contacts', fields: ['primary_account_id'] }],
    steps: [],
  };
  const arrows = layoutPlanGraph(graph).edges.map((e) => ({ parent: e.parent, child: e.child, dashed: e.dashed, fields: e.fields, links: e.edges.length }));
  assert.deepEqual(arrows, [
    { parent: 'contacts', child: 'accounts', dashed: false, fields: ['owner_id'], links: 1 },
    { parent: 'contacts', child: 'accounts', dashed: true, fields: [], links: 1 },
    { parent: 'accounts', child: 'contacts', dashed: true, fields: ['primary_account_id'], links: 1 },
  ]);
});

test('a reference and the target foreign key on the same field are one arrow', () => {
  const graph: PlanSteps = {
    members: [
      { mappingId: 'contacts', name: 'contacts', layer: 0 },
      { mappingId: 'deals', name: 'deals', layer: 1 },
    ],
    edges: [edge('deals', 'contacts', ['contact_id']), { ...edge('deals', 'contacts', ['contact_id']), why: 'target_fk' }],
    cycles: [],
    deferred: [],
    steps: [],
  };
  const [arrow, ...others] = layoutPlanGraph(graph).edges;
  assert.equal(others.length, 0);
  assert.deepEqual(arrow.fields, ['contact_id']);
  assert.deepEqual(arrow.edges.map((e) => e.why), ['reference', 'target_fk']);
});

test('links to mappings the graph does not hold are left out rather than drawn to nowhere', () => {
  const graph: PlanSteps = { members: [{ mappingId: 'a', name: 'a', layer: 0 }], edges: [edge('a', 'gone', ['x'])], cycles: [], deferred: [], steps: [] };
  assert.equal(layoutPlanGraph(graph).edges.length, 0);
});
