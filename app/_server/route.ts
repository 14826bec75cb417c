import 'server-only';
import { z } from 'zod';
import { AppError, type FieldIssue } from '@/lib/errors';
import { requirePermission, type Actor, type Permission } from '@/lib/auth/roles';
import { env } from '@/lib/env';
import { assertDeclaredLength, assertJsonContentType, assertRawContentType, bodyLimits, readJsonBody } from '@/lib/http/read-json-body';
import { assertSameOrigin, parsePublicOrigins, stateChangingMethods } from '@/lib/http/same-origin';
import { currentActor } from './current-actor';

/**
 * The one wrapper around every API route: refuse state-changing requests from other sites'
 * pages and bodies that are not JSON or too large, authenticate, check the permission,
 * parse params/query/body with zod, run the handler, and turn errors into JSON with a
 * stable code and field paths. Unexpected errors are logged and answered with a generic 500.
 */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  permission: Permission | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The largest body accepted, in bytes (413 above it). Default: `bodyLimits.public` for
   * public routes, which anyone may call, else `bodyLimits.signedIn`.
   */
  maxBodyBytes?: number;
  /**
   * A route taking raw bytes (a file chunk) instead of JSON: the handler reads
   * `request.body` itself, as a stream. Same origin check, session and permission as any
   * route; the content type must be one of `contentTypes`, none of which may be a type a
   * page on another site can send without a CORS preflight (form or text/plain types), so
   * such a page still cannot reach the route. `maxBytes` is refused on a declared length;
   * the handler must count the bytes it reads against it too. Not with `body`.
   */
  rawBody?: { maxBytes: number; contentTypes: readonly string[] };
}

interface RouteInput<P, Q, B> {
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  request: Request;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

function issuesOf(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/**
 * The path of the first text (value or key) holding U+0000, or null. PostgreSQL's text
 * and jsonb cannot store it, so such a request is refused here, naming the field.
 * Iterative with parent links: a deeply nested body costs no stack and no path copies.
 */
function nulCharacterPath(value: unknown): string[] | null {
  type Entry = { value: unknown; key: string | null; parent: Entry | null };
  const pathOf = (entry: Entry | null, last?: string): string[] => {
    const path: string[] = last === undefined ? [] : [last];
    for (let at = entry; at && at.key !== null; at = at.parent) path.push(at.key);
    return path.reverse();
  };
  const stack: Entry[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (typeof entry.value === 'string') {
      if (entry.value.includes('\u0000')) return pathOf(entry);
    } else if (entry.value !== null && typeof entry.value === 'object') {
      for (const [key, item] of Object.entries(entry.value)) {
        if (key.includes('\u0000')) return pathOf(entry, key);
        stack.push({ value: item, key, parent: entry });
      }
    }
  }
  return null;
}

function parseWith<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const nul = nulCharacterPath(value);
  if (nul) {
    const path = [prefix, ...nul].join('.');
    throw new AppError('validation_failed', `Invalid ${prefix}: ${path} must not contain the NUL character (\\u0000)`, [
      { path, message: 'must not contain the NUL character (\\u0000)' },
    ]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, prefix);
    throw new AppError('validation_failed', `Invalid ${prefix}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

/** Extra facts an error may carry for the client to act on (an upload's expectedOffset), besides code, message and issues. */
function detailsOf(error: AppError): Record<string, unknown> {
  const details: unknown = 'details' in error ? error.details : undefined;
  return details !== null && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { ...detailsOf(error), code: error.code, message: error.message, issues: error.issues } }, { status: error.status });
  }
  console.error('[api] unexpected error', error);
  return Response.json({ error: { code: 'internal', message: 'Something went wrong on the server; it has been logged.', issues: [] } }, { status: 500 });
}

/** A route handler as Next.js calls it; `spec` lets tests generate requests from the route's own schemas. */
export type RouteHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = ((request: Request, context: RouteContext) => Promise<Response>) & {
  readonly spec: RouteSpec<P, Q, B>;
};

export function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>,
): RouteHandler<P, Q, B> {
  if (spec.rawBody && spec.body) throw new Error('route(): a route reads either a JSON body or a raw body, not both');
  const maxBodyBytes = spec.rawBody?.maxBytes ?? spec.maxBodyBytes ?? (spec.permission === 'public' ? bodyLimits.public : bodyLimits.signedIn);
  const run = async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      // Refusals that need no session come first: no work, no database, for a forged or oversized request.
      if (stateChangingMethods.has(request.method)) {
        assertSameOrigin(request, parsePublicOrigins(env().FERRY_PUBLIC_ORIGIN));
        if (spec.rawBody) assertRawContentType(request.headers, spec.rawBody.contentTypes);
        else assertJsonContentType(request.headers, spec.body !== undefined);
      }
      assertDeclaredLength(request.headers, maxBodyBytes);
      const actor = await currentActor();
      if (!actor && spec.permission !== 'public') throw new AppError('unauthenticated', 'Sign in first');
      if (actor && spec.permission !== 'public') requirePermission(actor, spec.permission);
      const params = parseWith(spec.params, await context.params, 'params');
      const query = parseWith(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query');
      const rawBody = spec.body ? await readJsonBody(request, maxBodyBytes) : undefined;
      const body = parseWith(spec.body, rawBody, 'body');
      const result = await handler({ actor: actor as Actor, params, query, body, request });
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(run, { spec });
}

export const idParams = z.object({ id: z.string().uuid('must be a valid id') });
