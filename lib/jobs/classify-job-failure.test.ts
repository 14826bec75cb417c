import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { TableNotFoundError } from '../connectors/database-error';
import { StepTimeoutError } from '../engine/with-timeout';
import { classifyJobFailure, classifyPlannerFailure, onSide } from './classify-job-failure';

const driverError = (message: string, fields: { code?: string; errno?: number }) => Object.assign(new Error(message), fields);

test('unreachable and refusing databases are outages, read from codes', () => {
  assert.deepEqual(classifyJobFailure(driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })), {
    kind: 'outage',
    cause: 'unreachable',
    reason: 'connect ECONNREFUSED 127.0.0.1:5432',
  });
  assert.equal(classifyJobFailure(driverError('password authentication failed for user "crm"', { code: '28P01' })).kind, 'outage');
  assert.deepEqual(
    { ...classifyJobFailure(driverError("Access denied for user 'crm'@'10.0.0.1'", { errno: 1045 })), reason: '' },
    { kind: 'outage', cause: 'refuses_login', reason: '' },
  );
  assert.equal((classifyJobFailure(driverError('the database system is shutting down', { code: '57P03' })) as { cause: string }).cause, 'unavailable');
  assert.equal(classifyJobFailure(new Error('Connection terminated unexpectedly')).kind, 'outage');
});

test('what no retry can fix is unrecoverable, with what to do', () => {
  const cases: [Error, RegExp][] = [
    [new TableNotFoundError('contacts', 'public'), /Create the table/],
    [driverError('relation "contacts" does not exist', { code: '42P01' }), /Create the table/],
    [driverError("Unknown column 'x' in 'field list'", { errno: 1054 }), /mapped column is missing/],
    [driverError('database "crm" does not exist', { code: '3D000' }), /database name/],
    [driverError('permission denied for table contacts', { code: '42501' }), /Grant/],
    [driverError('cannot truncate a table referenced in a foreign key constraint', { code: '0A000' }), /foreign key/],
    [driverError('Cannot truncate a table referenced in a foreign key constraint', { errno: 1701 }), /foreign key/],
  ];
  for (const [error, hint] of cases) {
    const failure = classifyJobFailure(error);
    assert.equal(failure.kind, 'unrecoverable', error.message);
    assert.match((failure as { hint: string }).hint, hint);
  }
  assert.equal(classifyJobFailure(new UnrecoverableError('mapping no longer fits')).kind, 'unrecoverable');
});

test('anything else, a timeout included, is retried as usual', () => {
  assert.equal(classifyJobFailure(new StepTimeoutError('read', 1000)).kind, 'transient');
  assert.equal(classifyJobFailure(driverError('deadlock detected', { code: '40P01' })).kind, 'transient');
  assert.equal(classifyJobFailure('a string').kind, 'transient');
});

test('a planner that is refused its login fails at once: the password is most likely wrong', () => {
  const failure = classifyPlannerFailure(driverError('password authentication failed', { code: '28P01' }));
  assert.equal(failure.kind, 'unrecoverable');
  assert.match((failure as { hint: string }).hint, /password of the connection/);
  assert.equal(classifyPlannerFailure(driverError('connect ECONNREFUSED', { code: 'ECONNREFUSED' })).kind, 'outage');
});

test('a failure marked with its side says which database failed', async () => {
  const error = await onSide('target', Promise.reject(new TableNotFoundError('contacts', 'public'))).catch((e: unknown) => e);
  assert.match(classifyJobFailure(error).reason, /^target: Table "contacts" not found/);
});
