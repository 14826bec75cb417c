import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WriteBatchRequest } from '../connectors/connector';
import { DatabaseQueryError } from '../connectors/database-error';
import { writeWithBisection, type BatchWriter } from './write-with-bisection';

/** A target refusing negative amounts by a CHECK named without its column, as a database would: the whole statement. */
function checkingWriter(lookups: { count: number }): BatchWriter {
  return {
    async writeBatch(req: WriteBatchRequest) {
      const amount = req.columns.indexOf('amount');
      if (req.rows.some((row) => Number(row[amount]) < 0)) {
        throw new DatabaseQueryError('new row for relation "deals" violates check constraint "amount_positive"', { code: '23514', constraint: 'amount_positive', table: 'deals' }, null);
      }
      return { written: req.rows.length };
    },
    async constraintColumns() {
      lookups.count += 1;
      return new Map([['amount_positive', ['amount']]]);
    },
  };
}

test('bisection isolates the refused rows and names their field from the constraint, looking it up once', async () => {
  const lookups = { count: 0 };
  const amounts = [5, -1, 7, 8, -2, 9];
  const result = await writeWithBisection(
    checkingWriter(lookups),
    { table: 'deals', keyColumns: ['id'], columns: ['id', 'amount'], mode: 'upsert' },
    amounts.map((amount, i) => ({ values: [i + 1, amount], origin: i + 1 })),
  );
  assert.equal(result.written, 4);
  assert.deepEqual(
    result.failed.map((f) => [f.origin, f.failure.field, f.failure.code]),
    [
      [2, 'amount', 'check_violation'],
      [5, 'amount', 'check_violation'],
    ],
  );
  assert.equal(lookups.count, 1);
});

test('a lock timeout is not bisected: it says nothing about the rows', async () => {
  const writer: BatchWriter = {
    async writeBatch() {
      throw new DatabaseQueryError('canceling statement due to lock timeout', { code: '55P03' }, null);
    },
  };
  await assert.rejects(
    writeWithBisection(writer, { table: 'deals', keyColumns: ['id'], columns: ['id'], mode: 'upsert' }, [1, 2, 3].map((id) => ({ values: [id], origin: id }))),
    /lock timeout/,
  );
});
