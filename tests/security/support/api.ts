import { expect, request, type APIRequestContext } from '@playwright/test';
import { credentialsFor, type DemoRole } from '../../../e2e/fixtures/auth';

/** The built app under test (playwright.config.ts starts it). */
export const appOrigin = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}`;

/**
 * An HTTP client signed in as a demo role, sending what a same-origin browser page would
 * (JSON bodies, the app's own Origin). Attacks override headers per request.
 */
export async function clientAs(role: DemoRole): Promise<APIRequestContext> {
  const client = await request.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
  const { email, password } = credentialsFor(role);
  const response = await client.post('/api/auth/login', { data: { email, password } });
  expect(response.status(), await response.text()).toBe(200);
  return client;
}

/** A client with no session, for attacks that need none. */
export async function anonymousClient(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
}

/**
 * A client signed in as a demo role that sends no browser headers at all (no Origin), as
 * curl or a script would; given `sessionOf`, it shares that client's session (one sign-in less).
 */
export async function scriptClientAs(role: DemoRole, sessionOf?: APIRequestContext): Promise<APIRequestContext> {
  if (sessionOf) return request.newContext({ baseURL: appOrigin, storageState: await sessionOf.storageState() });
  const client = await request.newContext({ baseURL: appOrigin });
  const { email, password } = credentialsFor(role);
  const response = await client.post('/api/auth/login', { data: { email, password } });
  expect(response.status(), await response.text()).toBe(200);
  return client;
}
