import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldMapping, MappingSpec } from '../schemas/mapping-spec';
import { dependentsOf, planGraph, type PlanGraphMember } from './plan-graph';

const SOURCE = 'source-connection';
const TARGET = 'target-connection';

interface MemberShape {
  id: string;
  source: string;
  target: string;
  /** target ← source, or target ← source → parent id (a reference through the id map). */
  fields: ([string, string] | [string, string, string])[];
  targetFks?: [string, string][];
  sourceFks?: [string, string][];
  notNull?: string[];
}

function member(shape: MemberShape): PlanGraphMember {
  const fields: FieldMapping[] = shape.fields.map(([target, source, parent]) => ({
    target,
    sources: [source],
    transforms: [],
    ...(parent ? { reference: { by: 'id_map' as const, mapping: parent } } : {}),
  }));
  const spec: MappingSpec = {
    source: { table: shape.source, key: ['id'], filter: [] },
    target: { table: shape.target, key: ['id'] },
    writeMode: 'upsert',
    duplicatePolicy: { mode: 'error' },
    fields,
  };
  const fk = ([column, table]: [string, string]) => ({ name: `${column}_fkey`, columns: [column], referencedTable: table, referencedColumns: ['id'] });
  return {
    mappingId: shape.id,
    name: `${shape.source} → ${shape.target}`,
    spec,
    sourceConnectionId: SOURCE,
    targetConnectionId: TARGET,
    sourceForeignKeys: (shape.sourceFks ?? []).map(fk),
    targetForeignKeys: (shape.targetFks ?? []).map(fk),
    targetColumns: fields.map((field) => ({ name: field.target, nullable: !(shape.notNull ?? []).includes(field.target) })),
  };
}

const stepsOf = (plan: ReturnType<typeof planGraph>) => plan.steps.map((step) => `${step.id} after ${step.dependsOn.join(',') || '-'}`);
const layersOf = (plan: ReturnType<typeof planGraph>) => Object.fromEntries(plan.members.map((m) => [m.mappingId, m.layer]));

// The demo: contacts get ids of their own; deals reference them through the id map.
const customers = member({ id: 'contacts', source: 'customers', target: 'contacts', fields: [['id', 'cust_id'], ['email', 'email_addr']], notNull: ['email'] });
const orders = member({
  id: 'deals',
  source: 'orders',
  target: 'deals',
  fields: [['id', 'order_no'], ['contact_id', 'cust_id', 'contacts'], ['amount', 'total_amt']],
  targetFks: [['contact_id', 'contacts']],
  notNull: ['contact_id'],
});
const payments = member({ id: 'payments', source: 'payments', target: 'payments', fields: [['id', 'id'], ['deal_id', 'order_no']], targetFks: [['deal_id', 'deals']], notNull: ['deal_id'] });
const tickets = member({ id: 'cases', source: 'tickets', target: 'cases', fields: [['id', 'ticket_id'], ['contact_id', 'cust_id']], targetFks: [['contact_id', 'contacts']] });

describe('planGraph', () => {
  test('the demo: contacts first, then deals and cases, then payments', () => {
    const plan = planGraph([payments, tickets, orders, customers]);
    assert.deepEqual(
      plan.edges.map((e) => `${e.child}→${e.parent} ${e.why} [${e.fields.join(',')}]`),
      ['deals→contacts reference [contact_id]', 'payments→deals target_fk [deal_id]', 'cases→contacts target_fk [contact_id]'],
      'the target foreign key equal to the reference is not listed twice',
    );
    assert.equal(plan.edges[0].label, 'deals.contact_id → contacts (reference)');
    assert.deepEqual(layersOf(plan), { contacts: 0, deals: 1, payments: 2, cases: 1 });
    assert.deepEqual(plan.members.map((m) => m.name), ['customers → contacts', 'orders → deals', 'payments → payments', 'tickets → cases']);
    assert.deepEqual(stepsOf(plan), ['contacts:load after -', 'deals:load after contacts:load', 'cases:load after contacts:load', 'payments:load after deals:load']);
    assert.deepEqual(plan.cycles, []);
    assert.deepEqual(plan.deferred, []);
  });

  test('is independent of the input order', () => {
    assert.deepEqual(planGraph([customers, orders, payments, tickets]), planGraph([tickets, payments, orders, customers]));
  });

  test('a target foreign key on another connection, or one the child does not map, is no link', () => {
    const elsewhere = { ...tickets, targetConnectionId: 'other-target' };
    const unmapped = member({ id: 'cases', source: 'tickets', target: 'cases', fields: [['id', 'ticket_id']], targetFks: [['contact_id', 'contacts']] });
    assert.deepEqual(planGraph([customers, elsewhere]).edges, []);
    assert.deepEqual(planGraph([customers, unmapped]).edges, []);
  });

  test('a two-mapping cycle breaks at its nullable link, written by a fill step', () => {
    const people = member({ id: 'people', source: 'legacy_people', target: 'contacts', fields: [['id', 'id'], ['company_id', 'company_ref']], targetFks: [['company_id', 'companies']] });
    const companies = member({
      id: 'companies',
      source: 'legacy_companies',
      target: 'companies',
      fields: [['id', 'id'], ['owner_id', 'owner_ref', 'people']],
      targetFks: [['owner_id', 'contacts']],
      notNull: ['owner_id'],
    });
    const plan = planGraph([people, companies]);
    assert.equal(plan.cycles.length, 1);
    const [cycle] = plan.cycles;
    assert.deepEqual(cycle.mappingIds, ['companies', 'people'], 'by name: legacy_companies → companies first');
    assert.equal(cycle.blocking, false);
    assert.deepEqual(cycle.breakAt && [cycle.breakAt.child, cycle.breakAt.parent, cycle.breakAt.why], ['people', 'companies', 'target_fk']);
    assert.equal(cycle.message, 'cycle contacts → companies → contacts: break at contacts.company_id (nullable): written in a second pass');
    assert.deepEqual(plan.deferred, [{ mappingId: 'people', fields: ['company_id'] }]);
    assert.deepEqual(stepsOf(plan), ['people:load after -', 'companies:load after people:load', 'people:fill after people:load,companies:load']);
    assert.deepEqual(layersOf(plan), { people: 0, companies: 1 });
  });

  test('a self-reference is a cycle of one mapping: the manager is filled in afterwards', () => {
    const staff = member({ id: 'staff', source: 'employees', target: 'staff', fields: [['id', 'emp_no'], ['manager_id', 'boss_no', 'staff']], targetFks: [['manager_id', 'staff']] });
    const plan = planGraph([staff]);
    assert.deepEqual(plan.edges.map((e) => e.why), ['reference'], 'the self foreign key equals the reference');
    assert.equal(plan.cycles[0].message, 'cycle staff → staff: break at staff.manager_id (nullable): written in a second pass');
    assert.deepEqual(plan.deferred, [{ mappingId: 'staff', fields: ['manager_id'] }]);
    assert.deepEqual(stepsOf(plan), ['staff:load after -', 'staff:fill after staff:load']);
  });

  test('a cycle whose links are all NOT NULL cannot run and says which field must accept NULL', () => {
    const a = member({ id: 'a', source: 'sa', target: 'ta', fields: [['id', 'id'], ['b_id', 'b_ref', 'b']], notNull: ['b_id'] });
    const b = member({ id: 'b', source: 'sb', target: 'tb', fields: [['id', 'id'], ['a_id', 'a_ref', 'a'], ['a2_id', 'a2_ref', 'a']], notNull: ['a_id', 'a2_id'] });
    const plan = planGraph([b, a]);
    assert.equal(plan.cycles.length, 1);
    const [cycle] = plan.cycles;
    assert.equal(cycle.blocking, true);
    assert.equal(cycle.breakAt, null);
    assert.equal(cycle.message, 'cycle ta → tb → ta cannot be broken: ta.b_id would need to accept NULL, so that it can be written in a second pass');
    assert.deepEqual(plan.deferred, []);
  });

  test('a nullable field does not break a cycle while another field of the same link is NOT NULL', () => {
    const a = member({ id: 'a', source: 'sa', target: 'ta', fields: [['id', 'id'], ['b_id', 'b_ref', 'b'], ['b2_id', 'b2_ref', 'b']], notNull: ['b2_id'] });
    const b = member({ id: 'b', source: 'sb', target: 'tb', fields: [['id', 'id'], ['a_id', 'a_ref', 'a']] });
    const plan = planGraph([a, b]);
    assert.deepEqual(plan.cycles[0].breakAt && [plan.cycles[0].breakAt.child, plan.cycles[0].breakAt.fields], ['b', ['a_id']]);
    assert.deepEqual(stepsOf(plan), ['b:load after -', 'a:load after b:load', 'b:fill after b:load,a:load']);
  });

  test('two cycles sharing a link are broken at that link, leaving no load waiting for itself', () => {
    const x = member({ id: 'x', source: 'sx', target: 'tx', fields: [['id', 'id'], ['y_id', 'y', 'y']] });
    const y = member({ id: 'y', source: 'sy', target: 'ty', fields: [['id', 'id'], ['z_id', 'z', 'z'], ['x_id', 'x', 'x']] });
    const z = member({ id: 'z', source: 'sz', target: 'tz', fields: [['id', 'id'], ['x_id', 'x', 'x']] });
    const plan = planGraph([x, y, z]);
    const deferred = plan.deferred.flatMap((d) => d.fields.map((f) => `${d.mappingId}.${f}`));
    assert.deepEqual(deferred, ['x.y_id'], 'the one link on both cycles (x → y → x, x → y → z → x)');
    // Every load dependency must point at a load that does not wait, transitively, for itself.
    const loads = new Map(plan.steps.filter((s) => s.pass === 'load').map((s) => [s.id, s.dependsOn]));
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (loads.get(from) ?? []).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    for (const id of loads.keys()) assert.equal(reaches(id, id), false, `${id} waits for itself`);
    assert.ok(plan.cycles.every((c) => !c.blocking));
  });

  test('source foreign keys order mappings, and are ignored when they alone close a cycle', () => {
    const accounts = member({ id: 'accounts', source: 'accounts', target: 'orgs', fields: [['id', 'acct_id'], ['parent_acct', 'parent_acct']], sourceFks: [['parent_acct', 'accounts']] });
    const invoices = member({ id: 'invoices', source: 'invoices', target: 'bills', fields: [['id', 'inv_no'], ['total', 'total']], sourceFks: [['acct_id', 'accounts']] });
    const plan = planGraph([invoices, accounts]);
    assert.deepEqual(
      plan.edges.map((e) => `${e.child}→${e.parent} ${e.why} [${e.fields.join(',')}] ${e.label}`),
      ['accounts→accounts source_fk [parent_acct] accounts.parent_acct → accounts (source foreign key)', 'invoices→accounts source_fk [] invoices.acct_id → accounts (source foreign key)'],
    );
    assert.deepEqual(stepsOf(plan), ['accounts:load after -', 'invoices:load after accounts:load']);
    assert.equal(plan.cycles.length, 1);
    assert.equal(plan.cycles[0].blocking, false);
    assert.equal(plan.cycles[0].breakAt, null);
    assert.deepEqual(plan.cycles[0].ignored.map((e) => e.child), ['accounts']);
    assert.match(plan.cycles[0].message, /^cycle orgs → orgs: only source foreign keys close it .* ignored$/);
    assert.deepEqual(plan.deferred, []);
  });

  test('a source foreign key on another connection is no link', () => {
    const accounts = member({ id: 'accounts', source: 'accounts', target: 'orgs', fields: [['id', 'acct_id']] });
    const invoices = { ...member({ id: 'invoices', source: 'invoices', target: 'bills', fields: [['id', 'inv_no']], sourceFks: [['acct_id', 'accounts']] }), sourceConnectionId: 'other' };
    assert.deepEqual(planGraph([accounts, invoices]).edges, []);
  });
});

describe('dependentsOf', () => {
  const plan = planGraph([customers, orders, payments, tickets]);

  test('a parent brings every mapping below it, in member order', () => {
    assert.deepEqual(dependentsOf(plan, ['contacts']), ['contacts', 'deals', 'payments', 'cases']);
    assert.deepEqual(dependentsOf(plan, ['deals']), ['deals', 'payments']);
    assert.deepEqual(dependentsOf(plan, ['payments', 'cases']), ['payments', 'cases']);
  });

  test('unknown ids are left out; a deferred link still counts', () => {
    assert.deepEqual(dependentsOf(plan, ['nope']), []);
    // people.company_id is deferred (filled after both loads): re-running companies must refill it.
    const people = member({ id: 'people', source: 'people', target: 'contacts', fields: [['id', 'id'], ['company_id', 'company_ref', 'companies']] });
    const companies = member({ id: 'companies', source: 'companies', target: 'companies', fields: [['id', 'id'], ['owner_id', 'owner_ref', 'people']], notNull: ['owner_id'] });
    const cyclic = planGraph([people, companies]);
    assert.deepEqual(cyclic.deferred, [{ mappingId: 'people', fields: ['company_id'] }]);
    assert.deepEqual(dependentsOf(cyclic, ['companies']), ['companies', 'people']);
  });
});
