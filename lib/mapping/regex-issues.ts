import type { MappingSpec } from '../schemas/mapping-spec';
import { estimatedRegexSize, linearRegexProblem } from './linear-regex';

/**
 * The patterns of one mapping together may have at most this estimated size (ordinary
 * patterns are 10–50, the largest one allowed about 1000): compiling costs a few µs per
 * unit, so checking any spec, however many patterns it holds, takes a few tens of ms.
 */
export const MAX_SPEC_REGEX_SIZE = 10_000;

/**
 * The regex_replace patterns of a spec that the linear-time engine cannot run (a
 * backreference, a lookaround, a repeat too large), each with its path in the spec
 * ("fields.3.transforms.0.pattern") and the reason. Not part of the spec's schema, so
 * versions saved before the engine still load (their rows fail with 'regex_unsupported');
 * saving, checking and previewing a spec refuse them (check-mapping.ts, preview).
 */
export function regexIssues(spec: MappingSpec): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  let total = 0;
  for (const [f, field] of spec.fields.entries()) {
    for (const [t, transform] of field.transforms.entries()) {
      if (transform.op !== 'regex_replace') continue;
      const path = `fields.${f}.transforms.${t}.pattern`;
      total += estimatedRegexSize(transform.pattern, transform.flags) ?? 0;
      if (total > MAX_SPEC_REGEX_SIZE) {
        // Nothing more is compiled: the first pattern past the budget is named.
        issues.push({ path, message: `is one pattern too many: the mapping's patterns together are too complex (at most ${MAX_SPEC_REGEX_SIZE}); simplify or remove some` });
        return issues;
      }
      const problem = linearRegexProblem(transform.pattern, transform.flags);
      if (problem !== null) issues.push({ path, message: problem });
    }
  }
  return issues;
}
