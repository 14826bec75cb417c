import { ApiError } from '@/hooks/api-client';

/**
 * The API's message for one part of the shape, whichever request it came from: issues
 * name it under the request's body (`body.overrides.delimiter` from a preview,
 * `body.shape.columns.2.name` from a confirmation).
 */
export function shapeIssue(errors: unknown[], field: string): string | undefined {
  for (const error of errors) {
    if (!(error instanceof ApiError)) continue;
    const issue = error.issues.find((i) => i.path === `body.overrides.${field}` || i.path === `body.shape.${field}` || i.path === field);
    if (issue) return issue.message;
  }
  return undefined;
}

/** An error worth a notice of its own: one whose issues do not all sit next to a field. */
export function unplacedError(error: unknown): unknown {
  if (error instanceof ApiError && error.issues.length > 0 && error.issues.every((i) => /^body\.(overrides|shape)\./.test(i.path))) return null;
  return error;
}

/** A confidence as words a reader can act on. */
export function confidenceLabel(confidence: number): { text: string; tone: 'good' | 'warn' | 'bad' } {
  const percent = Math.round(confidence * 100);
  if (confidence >= 0.8) return { text: `${percent} % sure`, tone: 'good' };
  if (confidence >= 0.5) return { text: `${percent} % sure`, tone: 'warn' };
  return { text: `a guess (${percent} %)`, tone: 'bad' };
}
