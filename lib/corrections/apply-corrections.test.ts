import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeCorrector, type CorrectionStore } from './apply-corrections';
import type { RowCorrection } from './load-corrections';

const correction = (id: number, sourceRow: Record<string, unknown>): RowCorrection => ({
  sourceKey: [id],
  sourceKeyText: `[${id}]`,
  sourceRow,
  correctedByEmail: 'ana@example.com',
  correctedAt: new Date('2025-01-02T03:04:05Z'),
  errorRowId: id * 10,
});

/** A store over fixed corrections that counts its queries. */
function fakeStore(corrections: RowCorrection[]) {
  const calls = { keys: 0, rows: [] as string[][] };
  const store: CorrectionStore = {
    keys: async () => {
      calls.keys += 1;
      return { mappingId: 'm1', keyTexts: new Set(corrections.map((c) => c.sourceKeyText)) };
    },
    rows: async (_mappingId, texts) => {
      calls.rows.push(texts);
      return new Map(corrections.filter((c) => texts.includes(c.sourceKeyText)).map((c) => [c.sourceKeyText, c]));
    },
  };
  return { store, calls };
}

describe('makeCorrector', () => {
  test('replaces corrected rows by key, keeps the source key and columns the correction lacks', async () => {
    const { store, calls } = fakeStore([correction(2, { id: 'ignored', email: 'fixed@example.com' })]);
    const corrector = makeCorrector({ mappingId: 'm1' }, { keyColumns: ['id'] }, store);
    const rows = [
      { id: 1, email: 'a@example.com', name: 'A' },
      { id: 2, email: 'broken', name: 'B' },
    ];
    await corrector.rows(rows);
    assert.deepEqual(rows, [
      { id: 1, email: 'a@example.com', name: 'A' },
      { id: 2, email: 'fixed@example.com', name: 'B' },
    ]);
    assert.deepEqual([...corrector.applied], ['[2]']);
    assert.deepEqual(calls.rows, [['[2]']]);
  });

  test('loads the corrected keys once, and reads corrected rows only for batches that have one', async () => {
    const { store, calls } = fakeStore([correction(7, { id: 7, email: 'x@example.com' })]);
    const corrector = makeCorrector({ mappingVersionId: 'v1' }, { keyColumns: ['id'], arrayColumns: ['id', 'email', 'name'] }, store);
    const first = [
      [1, 'a', 'A'],
      [2, 'b', 'B'],
    ];
    const second = [
      [7, 'broken', 'G'],
      [8, 'h', 'H'],
    ];
    await corrector.arrays(first);
    await corrector.arrays(second);
    assert.deepEqual(first, [
      [1, 'a', 'A'],
      [2, 'b', 'B'],
    ]);
    assert.deepEqual(second, [
      [7, 'x@example.com', 'G'],
      [8, 'h', 'H'],
    ]);
    assert.equal(calls.keys, 1);
    assert.deepEqual(calls.rows, [['[7]']]);
  });

  test('tells which corrections no batch met', async () => {
    const { store } = fakeStore([correction(1, { id: 1, name: 'one' }), correction(5, { id: 5, name: 'five' })]);
    const corrector = makeCorrector({ mappingId: 'm1' }, { keyColumns: ['id'] }, store);
    await corrector.rows([{ id: 1, name: 'x' }]);
    assert.deepEqual((await corrector.notApplied()).map((c) => c.sourceKeyText), ['[5]']);
  });

  test('a mapping without corrections costs no row query', async () => {
    const { store, calls } = fakeStore([]);
    const corrector = makeCorrector({ mappingId: 'm1' }, { keyColumns: ['id'] }, store);
    const rows = [{ id: 1 }];
    assert.equal(await corrector.rows(rows), rows);
    assert.deepEqual(await corrector.notApplied(), []);
    assert.deepEqual(calls.rows, []);
  });
});
