import 'server-only';
import { z } from 'zod';
import { AppError, type FieldIssue } from '@/lib/errors';
import { requirePermission, type Actor, type Permission } from '@/lib/auth/roles';
import { currentActor } from './current-actor';

/**
 * The one wrapper around every API route: authenticate, check the permission, parse
 * params/query/body with zod, run the handler, and turn errors into JSON with a stable
 * code and field paths. Unexpected errors are logged and answered with a generic 500.
 */
interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  permission: Permission | 'public';
  params?: P;
  query?: Q;
  body?: B;
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

function parseWith<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, prefix);
    throw new AppError('validation_failed', `Invalid ${prefix}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { code: error.code, message: error.message, issues: error.issues } }, { status: error.status });
  }
  console.error('[api] unexpected error', error);
  return Response.json({ error: { code: 'internal', message: 'Something went wrong on the server; it has been logged.', issues: [] } }, { status: 500 });
}

export function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const actor = await currentActor();
      if (!actor && spec.permission !== 'public') throw new AppError('unauthenticated', 'Sign in first');
      if (actor && spec.permission !== 'public') requirePermission(actor, spec.permission);
      const params = parseWith(spec.params, await context.params, 'params');
      const query = parseWith(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query');
      let rawBody: unknown;
      if (spec.body) {
        rawBody = await request.json().catch(() => {
          throw new AppError('bad_request', 'The request body must be JSON');
        });
      }
      const body = parseWith(spec.body, rawBody, 'body');
      const result = await handler({ actor: actor as Actor, params, query, body, request });
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export const idParams = z.object({ id: z.string().uuid('must be a valid id') });
