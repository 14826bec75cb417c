import type { FieldIssue } from '@/lib/errors';

/** An error answer from Ferry's API: stable code, message, and per-field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }

  /** The message for one form field, matching `body.<field>` or `<field>`. */
  issueFor(field: string): string | undefined {
    return this.issues.find((i) => i.path === `body.${field}` || i.path === field)?.message;
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string; issues?: FieldIssue[] } } | null;
  if (!response.ok) {
    if (response.status === 401 && typeof window !== 'undefined' && !path.startsWith('/api/auth/')) {
      window.location.assign('/login');
    }
    const error = payload?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `Request failed (${response.status})`, error?.issues ?? []);
  }
  return payload as T;
}
