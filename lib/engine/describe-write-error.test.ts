import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DatabaseQueryError } from '../connectors/database-error';
import { describeWriteError, saysNothingAboutRows } from './describe-write-error';

const constraintColumns = new Map<string, string[]>([
  ['deals_customer_fk', ['customer_id']],
  ['amount_positive', ['amount']],
  ['deals_region_order', ['region', 'order_no']],
  ['deals_email_unique', ['email']],
  ['deals.amount', ['amount']],
]);
const context = { table: 'deals', columns: ['id', 'customer_id', 'email', 'amount', 'tags'], constraintColumns };

/** A pg error as the PostgreSQL connector throws it (wrapPgError). */
const pgError = (message: string, fields: Record<string, string>, cause: Record<string, unknown> = {}) =>
  new DatabaseQueryError(message, { code: fields.code, sqlState: fields.code, ...fields }, Object.assign(new Error(message), cause));

describe('describeWriteError', () => {
  test('names a CHECK constraint’s columns from its definition, whatever its name', () => {
    const error = pgError('new row for relation "deals" violates check constraint "amount_positive"', { code: '23514', constraint: 'amount_positive', table: 'deals' });
    assert.deepEqual(describeWriteError(error, context).field, 'amount');
    // Without the table's constraints, only PostgreSQL's default check names say the column.
    assert.equal(describeWriteError(error).field, null);
  });

  test('names every column of a composite constraint', () => {
    const error = pgError('duplicate key value violates unique constraint "deals_region_order"', {
      code: '23505',
      constraint: 'deals_region_order',
      table: 'deals',
      detail: 'Key (region, order_no)=(EU, 7) already exists.',
    });
    assert.deepEqual(describeWriteError(error, context), {
      field: 'region,order_no',
      code: 'unique_violation',
      message: 'duplicate key value violates unique constraint "deals_region_order" (Key (region, order_no)=(EU, 7) already exists.)',
    });
  });

  test('leaves a constraint of another table (a trigger’s write) to what the error says', () => {
    const error = pgError('insert or update on table "audit" violates foreign key constraint "deals_customer_fk"', {
      code: '23503',
      constraint: 'deals_customer_fk',
      table: 'audit',
      detail: 'Key (actor_id)=(3) is not present in table "users".',
    });
    assert.equal(describeWriteError(error, context).field, 'actor_id');
  });

  test('names the column of a value PostgreSQL could not read from its bind parameter', () => {
    const error = pgError('malformed array literal: "{a,"b}"', { code: '22P02', detail: 'Unexpected end of input.' }, { where: "unnamed portal parameter $5 = '...'" });
    assert.deepEqual(describeWriteError(error, context), {
      field: 'tags',
      code: 'invalid_value',
      message: 'malformed array literal: "{a,"b}" (Unexpected end of input.)',
    });
    assert.equal(describeWriteError(error).field, null);
  });

  test('names MariaDB’s constraints: a column-level CHECK, a unique key by its index name', () => {
    const check = new DatabaseQueryError('CONSTRAINT `deals.amount` failed for `crm`.`deals`', { code: 'ER_CONSTRAINT_FAILED', errno: 4025, constraint: 'deals.amount' }, null);
    assert.deepEqual(describeWriteError(check, context), { field: 'amount', code: 'check_violation', message: 'CONSTRAINT `deals.amount` failed for `crm`.`deals`' });
    const duplicate = new DatabaseQueryError("Duplicate entry 'a@b.c' for key 'deals_email_unique'", { code: 'ER_DUP_ENTRY', errno: 1062, constraint: 'deals_email_unique' }, null);
    assert.equal(describeWriteError(duplicate, context).field, 'email');
    // The plain insert's refusal reads the key's index name, as before.
    assert.equal(describeWriteError(duplicate).field, 'deals_email_unique');
  });
});

describe('saysNothingAboutRows', () => {
  test('a lock or statement timeout is about the table, not the rows', () => {
    assert.equal(saysNothingAboutRows(pgError('canceling statement due to lock timeout', { code: '55P03' })), true);
    assert.equal(saysNothingAboutRows(pgError('canceling statement due to statement timeout', { code: '57014' })), true);
    assert.equal(saysNothingAboutRows(new DatabaseQueryError('Lock wait timeout exceeded', { errno: 1205 }, null)), true);
    assert.equal(saysNothingAboutRows(new DatabaseQueryError('Query execution was interrupted (max_statement_time exceeded)', { errno: 1969 }, null)), true);
    assert.equal(saysNothingAboutRows(pgError('violates check constraint', { code: '23514' })), false);
  });
});
