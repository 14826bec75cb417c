import { AppError } from '../errors';

/**
 * Cross-site request forgery defence. The session cookie is SameSite=Lax, which a page on
 * another port or subdomain of the same site does not trip, so every request that changes
 * state must show it comes from Ferry's own pages: browsers name the page's origin in
 * `Origin` (and, in `Sec-Fetch-Site`, how it relates to the URL), and a page cannot forge
 * either. A request with neither header is not from a browser (curl, scripts, monitoring)
 * and is allowed: it holds its own credentials, nobody else's.
 */

export const stateChangingMethods: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `scheme://host[:port]`, lowercase, default port dropped; null when it is not an http(s) origin. */
export function normalizeOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The first entry of a header that proxies may have turned into a comma-separated list. */
const firstEntry = (value: string | null) => value?.split(',')[0]?.trim() || null;

/**
 * The origins the request names as the app's own: its scheme (X-Forwarded-Proto, which
 * Next.js sets when no proxy did, else the URL's) with its Host and X-Forwarded-Host.
 * A browser sets Host to the address it connects to and a cross-site page cannot add
 * X-Forwarded-Host (a custom header needs a CORS preflight Ferry never grants), so neither
 * can be steered by the page that sends the request.
 */
export function requestOrigins(headers: Headers, requestUrl: string): string[] {
  let urlScheme = 'http';
  try {
    urlScheme = new URL(requestUrl).protocol.replace(/:$/, '');
  } catch {
    // A relative or odd URL: the forwarded scheme or http.
  }
  const scheme = firstEntry(headers.get('x-forwarded-proto'))?.toLowerCase() ?? urlScheme;
  const hosts = [firstEntry(headers.get('x-forwarded-host')), firstEntry(headers.get('host'))].filter((h): h is string => !!h);
  const origins = hosts.map((host) => normalizeOrigin(`${scheme}://${host}`)).filter((o): o is string => o !== null);
  return [...new Set(origins)];
}

/** FERRY_PUBLIC_ORIGIN: comma-separated origins users open Ferry at; entries that are not origins are dropped (env.ts refuses them at start). */
export function parsePublicOrigins(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(normalizeOrigin)
    .filter((o): o is string => o !== null);
}

/**
 * Throws 403 `cross_origin` unless a state-changing request comes from one of the app's own
 * origins (or from no browser at all). `Sec-Fetch-Site` of `same-site` is refused too: a
 * sibling subdomain or another port is exactly the page SameSite=Lax lets through.
 */
export function assertSameOrigin(request: Pick<Request, 'method' | 'headers' | 'url'>, publicOrigins: readonly string[]): void {
  if (!stateChangingMethods.has(request.method.toUpperCase())) return;
  const fetchSite = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
    throw new AppError('cross_origin', `Refused: this request was sent by a page of another ${fetchSite === 'cross-site' ? 'site' : 'origin'} (Sec-Fetch-Site: ${fetchSite}); Ferry accepts changes only from its own pages`);
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const own = [...requestOrigins(request.headers, request.url), ...publicOrigins];
  const normalized = normalizeOrigin(origin.trim());
  if (normalized !== null && own.includes(normalized)) return;
  throw new AppError(
    'cross_origin',
    `Refused: this request was sent by a page at ${JSON.stringify(origin.slice(0, 200))}, not by Ferry's own pages (${own.join(', ') || 'no origin known'}). ` +
      'Behind a proxy that does not forward the host and scheme, list the address users open Ferry at in FERRY_PUBLIC_ORIGIN.',
  );
}
