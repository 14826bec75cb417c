import { isIP } from 'node:net';

/**
 * Which address a request came from, as far as this installation can know it.
 *
 * X-Forwarded-For is whatever the client writes, except for the entries that the
 * operator's own proxies append. With FERRY_TRUSTED_PROXY_HOPS=N proxies in front of
 * Ferry, the N-th entry from the right was written by the outermost trusted proxy and is
 * the client's address; everything left of it is the client's own claim and ignored.
 * With N=0 (the default) the socket's peer is the client and X-Forwarded-For is ignored.
 *
 * Ferry's web server (server/web-server.ts) computes the address from the socket before
 * Next.js sees the request and passes it in CLIENT_ADDRESS_HEADER, replacing any copy the
 * client sent. Route handlers read it with clientAddressOf().
 */
export const CLIENT_ADDRESS_HEADER = 'x-ferry-client-address';

/** What requests count as when their address is unknown: one shared bucket, never the client's word. */
export const UNKNOWN_CLIENT_ADDRESS = 'unknown';

/**
 * Set by Ferry's web server in its own process. Under `next dev` or a bare `next start`
 * nothing removes a client-sent CLIENT_ADDRESS_HEADER, so without this mark the header
 * is not believed.
 */
const TRUSTED_SERVER = Symbol.for('ferry.web-server.sets-client-address');

export function markClientAddressTrusted(): void {
  (globalThis as Record<symbol, unknown>)[TRUSTED_SERVER] = true;
}

/** An address in one canonical text: ports and brackets dropped, IPv4-mapped IPv6 as IPv4; null when not an IP. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%.*$/, ''); // an IPv6 zone id says nothing about the client
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(text);
  if (mapped) text = mapped[1];
  const version = isIP(text);
  if (version === 4) return text;
  if (version === 6) return text.toLowerCase();
  return null;
}

/**
 * The client's address from the socket peer and the X-Forwarded-For header, trusting
 * `trustedHops` proxies. When the header has fewer entries than that, the request did not
 * pass through every proxy and its leftmost entry (written by the outermost proxy it did
 * pass) is the best known. An entry that is not an address falls back to the socket peer.
 */
export function resolveClientAddress(input: { socketAddress: string | undefined; forwardedFor: string | string[] | undefined; trustedHops: number }): string {
  const socket = normalizeAddress(input.socketAddress) ?? UNKNOWN_CLIENT_ADDRESS;
  if (input.trustedHops <= 0) return socket;
  const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(',') : (input.forwardedFor ?? '');
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return socket;
  const chosen = entries[Math.max(0, entries.length - input.trustedHops)];
  return normalizeAddress(chosen) ?? socket;
}

/** The address Ferry's web server determined for this request; UNKNOWN_CLIENT_ADDRESS outside it (next dev). */
export function clientAddressOf(request: Request): string {
  if ((globalThis as Record<symbol, unknown>)[TRUSTED_SERVER] !== true) return UNKNOWN_CLIENT_ADDRESS;
  return normalizeAddress(request.headers.get(CLIENT_ADDRESS_HEADER)) ?? UNKNOWN_CLIENT_ADDRESS;
}

/**
 * The key an address is rate-limited under: an IPv4 address itself, an IPv6 address by
 * its /64 network, since one subscriber usually holds a whole /64 and could otherwise
 * take a fresh address for every attempt.
 */
export function addressLimitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
