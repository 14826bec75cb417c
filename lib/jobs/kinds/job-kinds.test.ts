import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobKind } from '../../db/generated/enums';
import { plannerJobNames, unitJobNames } from '../../queue/job-names';
import { definedJobKinds, jobKindOf, jobKinds } from './job-kinds';

describe('job kind definitions', () => {
  test('every BullMQ job name belongs to exactly one kind, in its role', () => {
    const owned = definedJobKinds.flatMap((d) => [...(d.planner ? [d.planner.jobName] : []), d.units.jobName]);
    assert.deepEqual([...owned].sort(), [...plannerJobNames, ...unitJobNames].sort());
    assert.equal(new Set(owned).size, owned.length);
    const definitions = Object.values(jobKinds);
    assert.deepEqual(definitions.flatMap((d) => (d.planner ? [d.planner.jobName] : [])).sort(), [...plannerJobNames].sort());
    assert.deepEqual(definitions.map((d) => d.units.jobName).sort(), [...unitJobNames].sort());
  });

  test('each definition is registered under its own kind, and every kind of the schema has one', () => {
    for (const [kind, definition] of Object.entries(jobKinds)) assert.equal(definition.kind, kind);
    assert.deepEqual(Object.keys(jobKinds).sort(), Object.values(JobKind).sort());
    for (const kind of Object.values(JobKind)) assert.equal(jobKindOf(kind).kind, kind);
  });

  test('only the sync waits for a scheduler between deliveries; the rest are re-enqueued when their queue entry is lost', () => {
    assert.deepEqual(definedJobKinds.filter((d) => d.units.deliveredBy === 'schedule').map((d) => d.kind), ['sync']);
  });

  test('kinds that cannot pause are the short, re-runnable ones; every unit store is one of the two tables', () => {
    assert.deepEqual(
      Object.values(jobKinds).filter((d) => !d.pausable).map((d) => d.kind).sort(),
      ['repair', 'verify'],
    );
    for (const d of Object.values(jobKinds)) assert.ok(['chunks', 'consistency_ranges'].includes(d.units.store.table));
  });

  test('cursor schemas accept what each kind checkpoints and refuse what another kind would', () => {
    assert.deepEqual(jobKinds.migration.units.cursorSchema.parse([5, 'a']), [5, 'a']);
    assert.deepEqual(jobKinds.replay.units.cursorSchema.parse([42]), [42]);
    assert.throws(() => jobKinds.repair.units.cursorSchema.parse(['x']));
    assert.throws(() => jobKinds.migration.units.cursorSchema.parse({ after: 1 }));
    const streaming = { phase: 'streaming', from: { kind: 'postgres', lsn: '0/16B3748' } };
    assert.deepEqual(jobKinds.sync.units.cursorSchema.parse(streaming), streaming);
    assert.throws(() => jobKinds.sync.units.cursorSchema.parse([5]));
  });
});
