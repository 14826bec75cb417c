import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors';
import { assertSameOrigin, parsePublicOrigins, requestOrigins } from './same-origin';

const request = (method: string, headers: Record<string, string>, url = 'http://127.0.0.1:3000/api/users') => ({ method, url, headers: new Headers(headers) });
const refused = (fn: () => void) => assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'cross_origin' && e.status === 403);

test('the own origin comes from Host, X-Forwarded-Host and the forwarded scheme, normalized', () => {
  assert.deepEqual(requestOrigins(new Headers({ host: 'Ferry.Example.com:443', 'x-forwarded-proto': 'https' }), 'http://localhost:3000/x'), ['https://ferry.example.com']);
  assert.deepEqual(
    requestOrigins(new Headers({ host: '10.0.0.5:3000', 'x-forwarded-host': 'ferry.example.com, proxy', 'x-forwarded-proto': 'https,http' }), 'http://10.0.0.5:3000/x'),
    ['https://ferry.example.com', 'https://10.0.0.5:3000'],
  );
  assert.deepEqual(requestOrigins(new Headers({ host: '127.0.0.1:3100' }), 'http://localhost:3100/x'), ['http://127.0.0.1:3100']);
});

test('same-origin writes, reads of any origin and requests from no browser pass', () => {
  assertSameOrigin(request('POST', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }), []);
  assertSameOrigin(request('GET', { host: '127.0.0.1:3000', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), []);
  assertSameOrigin(request('DELETE', { host: '127.0.0.1:3000' }), []);
  assertSameOrigin(request('PATCH', { host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }), []);
});

test('a foreign, sibling or opaque Origin is refused for every state-changing method', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    refused(() => assertSameOrigin(request(method, { host: '127.0.0.1:3000', origin: 'https://evil.example' }), []));
    // Another port of the same host is the same site, and SameSite=Lax sends the cookie.
    refused(() => assertSameOrigin(request(method, { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:8080' }), []));
    refused(() => assertSameOrigin(request(method, { host: '127.0.0.1:3000', origin: 'null' }), []));
    refused(() => assertSameOrigin(request(method, { host: '127.0.0.1:3000', origin: 'https://127.0.0.1:3000' }), []));
  }
});

test('Sec-Fetch-Site cross-site or same-site is refused even without an Origin', () => {
  refused(() => assertSameOrigin(request('POST', { host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }), []));
  refused(() => assertSameOrigin(request('POST', { host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), []));
  refused(() => assertSameOrigin(request('POST', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }), []));
});

test('FERRY_PUBLIC_ORIGIN adds the address users open Ferry at behind a proxy', () => {
  const origins = parsePublicOrigins(' https://Ferry.example.com/ , http://ferry.internal:8080,not an origin');
  assert.deepEqual(origins, ['https://ferry.example.com', 'http://ferry.internal:8080']);
  assertSameOrigin(request('POST', { host: '10.0.0.5:3000', origin: 'https://ferry.example.com' }), origins);
  refused(() => assertSameOrigin(request('POST', { host: '10.0.0.5:3000', origin: 'https://ferry.example.com.evil.example' }), origins));
  assert.deepEqual(parsePublicOrigins(undefined), []);
});
