import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn } from './test-columns';
import { compileCheckRules } from './check-constraint-rules';
import { compileValueCheck } from './validate-row';

const withChecks = (column: ReturnType<typeof testColumn>, ...definitions: string[]) => ({
  ...column,
  checks: definitions.map((definition, i) => ({ name: `c${i}`, definition })),
});

describe('CHECK constraints judged before the write', () => {
  test('a range of numbers, as PostgreSQL prints BETWEEN', () => {
    const column = withChecks(testColumn('priority', 'integer'), 'CHECK (((priority >= 1) AND (priority <= 5)))');
    const check = compileValueCheck(column);
    assert.equal(check(3), null);
    assert.equal(check('5'), null);
    assert.equal(check(null), null);
    const problem = check(9);
    assert.equal(problem?.code, 'check_violation');
    assert.match(problem?.message ?? '', /priority" = 9 breaks the target's CHECK c0 \(priority <= 5\)/);
    assert.equal(check(0)?.code, 'check_violation');
  });

  test('a cast literal and a decimal column', () => {
    const check = compileValueCheck(withChecks(testColumn('amount', 'decimal'), 'CHECK ((amount >= (0)::numeric))'));
    assert.equal(check('0.00'), null);
    assert.equal(check('-0.01')?.code, 'check_violation');
  });

  test('membership in a list of texts', () => {
    const check = compileValueCheck(withChecks(testColumn('method'), "CHECK ((method = ANY (ARRAY['card'::text, 'wire'::text, 'it''s'::text])))"));
    assert.equal(check('card'), null);
    assert.equal(check("it's"), null);
    assert.equal(check('CARD')?.code, 'check_violation');
  });

  test('what it cannot judge exactly is left to the database', () => {
    const column = withChecks(
      testColumn('email'),
      "CHECK (((email = lower(email)) AND (POSITION(('@'::text) IN (email)) > 1)))",
      "CHECK ((phone ~ '^\\+[1-9][0-9]{6,14}$'::text))",
      'CHECK (((email IS NULL) OR (length(email) > 3)))',
    );
    assert.deepEqual(compileCheckRules(column), []);
    // One judgeable conjunct of an AND still applies; an OR never does.
    const mixed = withChecks(testColumn('n', 'integer'), 'CHECK (((n > 0) AND (mod(n, 2) = 0)))', 'CHECK (((n < 10) OR (n > 100)))');
    assert.equal(compileCheckRules(mixed).length, 1);
    assert.equal(compileValueCheck(mixed)(-1)?.code, 'check_violation');
    assert.equal(compileValueCheck(mixed)(50), null);
  });

  test('a fixed-width char column is left to the database (it compares without trailing blanks)', () => {
    const column = withChecks({ ...testColumn('code'), dataType: 'character(3)' }, "CHECK ((code = ANY (ARRAY['ab'::bpchar])))");
    assert.deepEqual(compileCheckRules(column), []);
  });
});
