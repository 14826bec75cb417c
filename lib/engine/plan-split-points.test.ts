import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../connectors/connector';
import type { SourceFilter } from '../schemas/mapping-spec';
import { denseIntegerPoints, planSplitPoints } from './plan-split-points';

test('a dense integer span is split evenly; the points keep the driver form of the key', () => {
  assert.deepEqual(denseIntegerPoints(1, 1000, 1000, 250), [[251], [501], [751]]);
  assert.deepEqual(denseIntegerPoints(1, 1000, 950, 250), [[251], [501], [751]], 'gaps of 5 % still count as dense');
  assert.deepEqual(denseIntegerPoints(1, 100, 100, 500), [], 'one chunk: no points');
  const big = denseIntegerPoints('9007199254740000', '9007199254750000', 10_001, 5_000);
  assert.deepEqual(big, [['9007199254743333'], ['9007199254746667']]);
  assert.deepEqual(denseIntegerPoints(-500, 499, 1000, 500), [[0]]);
});

test('sparse, empty or non-integer bounds get no arithmetic points', () => {
  assert.equal(denseIntegerPoints(1, 1000, 899, 100), null, 'under 90 % of the span holds rows');
  assert.equal(denseIntegerPoints(1, 5_000_000, 1652, 200), null);
  assert.equal(denseIntegerPoints(10, 1, 10, 5), null);
  assert.equal(denseIntegerPoints('a', 'z', 26, 5), null);
  assert.equal(denseIntegerPoints(1.5, 10, 10, 5), null);
});

/** A source that applies filters on `status` only, and records what the planner asked of it. */
function fakeSource(table: { rows: number; kept: number; first: number; last: number }) {
  const asked: string[] = [];
  const named = (filters: readonly SourceFilter[] = []) => filters.map((f) => f.column).join('+') || 'none';
  const source = {
    async applicableFilters(_table: string, filters: readonly SourceFilter[]) {
      return filters.filter((f) => f.column === 'status');
    },
    async countInScope(_table: string, _key: string[], filters: readonly SourceFilter[]) {
      asked.push(`count ${named(filters)}`);
      return filters.length > 0 ? table.kept : table.rows;
    },
    async keyBounds(_table: string, _key: string[], filters?: readonly SourceFilter[]) {
      asked.push(`bounds ${named(filters)}`);
      return { first: [table.first], last: [filters?.length ? table.last : table.rows] };
    },
    async splitPoints(_table: string, _key: string[], rowsPerChunk: number, filters?: readonly SourceFilter[]) {
      asked.push(`points ${named(filters)}`);
      return Array.from({ length: Math.ceil((filters?.length ? table.kept : table.rows) / rowsPerChunk) - 1 }, (_, i) => [(i + 1) * 1000]);
    },
  };
  return { source, asked };
}

const accounts = { name: 'accounts', columns: [{ name: 'id', family: 'integer' } as ColumnInfo] };
const active: SourceFilter = { column: 'status', op: 'eq', value: 'active' };
const zip: SourceFilter = { column: 'zip', op: 'lt', value: 50_000 };

test('a filter the source applies: the plan covers the kept rows, and their count is exact', async () => {
  // 1,000 of 10,000 rows kept, spread over the whole key span: exact points over the kept rows.
  const { source, asked } = fakeSource({ rows: 10_000, kept: 1_000, first: 1, last: 10_000 });
  const plan = await planSplitPoints(source, accounts, ['id'], 200, [active]);
  assert.deepEqual({ rows: plan.rows, rowsExact: plan.rowsExact, method: plan.method, chunks: plan.points.length + 1 }, { rows: 1_000, rowsExact: true, method: 'exact', chunks: 5 });
  assert.deepEqual(asked.sort(), ['bounds status', 'count status', 'points status']);
});

test('kept rows on a dense run of keys are split by arithmetic over that run', async () => {
  const { source } = fakeSource({ rows: 10_000, kept: 1_000, first: 9_001, last: 10_000 });
  const plan = await planSplitPoints(source, accounts, ['id'], 250, [active]);
  assert.deepEqual(plan, { points: [[9_251], [9_501], [9_751]], rows: 1_000, rowsExact: true, method: 'dense integer key' });
});

test('a filter the source cannot apply is left to the copy: the count covers more rows and is not exact', async () => {
  const { source, asked } = fakeSource({ rows: 10_000, kept: 1_000, first: 1, last: 10_000 });
  const both = await planSplitPoints(source, accounts, ['id'], 200, [active, zip]);
  assert.deepEqual({ rows: both.rows, rowsExact: both.rowsExact }, { rows: 1_000, rowsExact: false });
  assert.ok(asked.every((step) => step.endsWith(' status')), asked.join(', '));
  const alone = await planSplitPoints(fakeSource({ rows: 10_000, kept: 1_000, first: 1, last: 10_000 }).source, accounts, ['id'], 200, [zip]);
  assert.deepEqual({ rows: alone.rows, rowsExact: alone.rowsExact, method: alone.method }, { rows: 10_000, rowsExact: false, method: 'dense integer key' });
});

test('without filters the count is exact', async () => {
  const plan = await planSplitPoints(fakeSource({ rows: 1_000, kept: 0, first: 1, last: 1_000 }).source, accounts, ['id'], 250);
  assert.deepEqual({ rows: plan.rows, rowsExact: plan.rowsExact, chunks: plan.points.length + 1 }, { rows: 1_000, rowsExact: true, chunks: 4 });
});
