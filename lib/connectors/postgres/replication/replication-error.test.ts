import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureNames } from './capture-names';
import { classifyReplicationError } from './replication-error';

const pgError = (message: string, code?: string) => Object.assign(new Error(message), { code });

describe('change-capture errors', () => {
  it('names what the server said as a stable code', () => {
    const cases: [Error, string][] = [
      [pgError('replication slot "ferry_a" is active for PID 4242', '55006'), 'slot_busy'],
      [pgError('logical decoding requires wal_level >= logical', '55000'), 'wal_level'],
      [pgError('replication slot "ferry_a" does not exist', '42704'), 'slot_missing'],
      [pgError('can no longer get changes from replication slot "ferry_a"', '55000'), 'slot_lost'],
      [pgError('publication "ferry_a" does not exist', '42704'), 'publication_missing'],
      [pgError('must be superuser or replication role to start walsender', '42501'), 'missing_privilege'],
      [pgError('must be owner of table contacts', '42501'), 'missing_privilege'],
      [pgError('all replication slots are in use', '53400'), 'limit_reached'],
      [pgError('Connection terminated unexpectedly'), 'connection_lost'],
      [pgError('read ECONNRESET', 'ECONNRESET'), 'connection_lost'],
      [pgError('something else', 'XX000'), 'unknown'],
    ];
    for (const [err, code] of cases) assert.equal(classifyReplicationError(err).code, code, err.message);
    assert.equal(classifyReplicationError(cases[0][0]).retryable, true);
  });

  it('folds a sync id into a valid slot and publication name', () => {
    assert.deepEqual(captureNames('Cm9x-Y2'), { slotName: 'ferry_cm9x_y2', publicationName: 'ferry_cm9x_y2' });
    assert.equal(captureNames('x'.repeat(80)).slotName.length, 63);
  });
});
