import assert from 'node:assert/strict';
import { TransformError } from '../transform-error';

/** Asserts that `fn` throws a TransformError with this code (and, if given, a message containing `messagePart`). */
export const throwsCode = (fn: () => unknown, code: string, messagePart?: string) =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TransformError, `expected TransformError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (messagePart !== undefined) assert.ok(error.message.includes(messagePart), error.message);
    return true;
  });
