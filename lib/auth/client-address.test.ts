import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addressLimitKey,
  CLIENT_ADDRESS_HEADER,
  clientAddressOf,
  markClientAddressTrusted,
  normalizeAddress,
  resolveClientAddress,
  UNKNOWN_CLIENT_ADDRESS,
} from './client-address';

test('with no trusted proxy the socket peer is the client, whatever X-Forwarded-For says', () => {
  assert.equal(resolveClientAddress({ socketAddress: '::ffff:203.0.113.9', forwardedFor: '198.51.100.1', trustedHops: 0 }), '203.0.113.9');
  assert.equal(resolveClientAddress({ socketAddress: '2001:DB8::1', forwardedFor: undefined, trustedHops: 0 }), '2001:db8::1');
  assert.equal(resolveClientAddress({ socketAddress: undefined, forwardedFor: '198.51.100.1', trustedHops: 0 }), UNKNOWN_CLIENT_ADDRESS);
});

test('with N trusted proxies the N-th entry from the right is the client; entries left of it are its own claim', () => {
  // client 203.0.113.9 forged "1.1.1.1", then passed the outer proxy (which appended the client) and the inner one.
  const forwardedFor = '1.1.1.1, 203.0.113.9, 10.0.0.2';
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor, trustedHops: 1 }), '10.0.0.2');
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor, trustedHops: 2 }), '203.0.113.9');
  // Repeated headers arrive as a list (or joined by Node): the order is kept.
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor: ['1.1.1.1', '203.0.113.9'], trustedHops: 1 }), '203.0.113.9');
});

test('fewer entries than trusted hops: the leftmost; no header or a non-address: the socket', () => {
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor: '203.0.113.9', trustedHops: 3 }), '203.0.113.9');
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor: undefined, trustedHops: 1 }), '10.0.0.3');
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor: ' , ', trustedHops: 1 }), '10.0.0.3');
  assert.equal(resolveClientAddress({ socketAddress: '10.0.0.3', forwardedFor: 'evil, unknown', trustedHops: 1 }), '10.0.0.3');
});

test('addresses are normalised: ports, brackets, zone ids and IPv4-mapped IPv6', () => {
  assert.equal(normalizeAddress('203.0.113.9:5555'), '203.0.113.9');
  assert.equal(normalizeAddress('[2001:db8::1]:443'), '2001:db8::1');
  assert.equal(normalizeAddress('fe80::1%eth0'), 'fe80::1');
  assert.equal(normalizeAddress('::FFFF:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeAddress('not-an-address'), null);
  assert.equal(normalizeAddress(''), null);
});

test('IPv6 clients are limited per /64, IPv4 clients per address', () => {
  assert.equal(addressLimitKey('203.0.113.9'), '203.0.113.9');
  assert.equal(addressLimitKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(addressLimitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
  assert.equal(addressLimitKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressLimitKey('::1'), '0:0:0:0::/64');
  assert.equal(addressLimitKey(UNKNOWN_CLIENT_ADDRESS), UNKNOWN_CLIENT_ADDRESS);
});

test('the private header is believed only inside Ferry’s web server', () => {
  const request = new Request('http://ferry.test/api/auth/login', { headers: { [CLIENT_ADDRESS_HEADER]: '198.51.100.7' } });
  assert.equal(clientAddressOf(request), UNKNOWN_CLIENT_ADDRESS, 'next dev: a client could have written it');
  markClientAddressTrusted();
  assert.equal(clientAddressOf(request), '198.51.100.7');
  assert.equal(clientAddressOf(new Request('http://ferry.test/', { headers: { [CLIENT_ADDRESS_HEADER]: 'junk' } })), UNKNOWN_CLIENT_ADDRESS);
});
