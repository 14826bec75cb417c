import { NextResponse, type NextRequest } from 'next/server';

/**
 * Runs before Next.js matches an API route, for paths with percent-encoding only. A path
 * whose encoding is not UTF-8 (`/api/jobs/%ED%A0%80`) cannot be decoded into route
 * params, and Next.js would answer it with a bare 500; it is a bad request, answered
 * like route() answers one.
 */
export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return NextResponse.json(
      { error: { code: 'bad_request', message: 'The URL path is not valid percent-encoded UTF-8', issues: [] } },
      { status: 400 },
    );
  }
}

export const config = { matcher: '/api/:path(.*%.*)' };
