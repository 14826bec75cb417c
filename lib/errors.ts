/**
 * Errors the product expects and explains. Each carries a stable code the API and UI
 * can rely on, an HTTP status, and optionally the path of the offending field.
 * Anything else is a bug: logged in full, shown to users as a generic failure.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  /** A state-changing request from another site's page (lib/http/same-origin.ts). */
  | 'cross_origin'
  | 'not_found'
  | 'conflict'
  | 'illegal_transition'
  /** The target table is held by another job (lib/jobs/target-table-lease.ts). */
  | 'target_busy'
  | 'rate_limited'
  /** Work stopped at its budget (time or memory), e.g. a preview of a costly mapping (lib/preview/). */
  | 'too_costly'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'connection_failed'
  | 'internal';

const statusByCode: Record<AppErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  target_busy: 409,
  rate_limited: 429,
  too_costly: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  connection_failed: 502,
  internal: 500,
};

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly issues: FieldIssue[];

  constructor(code: AppErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    this.issues = issues;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this action') => new AppError('forbidden', message);
