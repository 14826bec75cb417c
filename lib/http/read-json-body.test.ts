import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors';
import { assertJsonContentType, isJsonContentType, readJsonBody } from './read-json-body';

const failsWith = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** A body arriving in chunks, counting what the reader pulled. */
function streamed(chunks: number, chunkBytes: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  return { request: { headers: new Headers({ 'content-type': 'application/json' }), body }, pulled: () => pulled };
}

test('JSON content types with an optional UTF-8 charset are accepted, nothing else', () => {
  for (const ok of ['application/json', 'Application/JSON; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; ']) assert.ok(isJsonContentType(ok), ok);
  for (const bad of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx', 'text/plain; application/json']) {
    assert.ok(!isJsonContentType(bad), String(bad));
  }
});

test('a body route needs JSON; a bodyless route accepts no Content-Type but refuses forms', () => {
  assert.throws(() => assertJsonContentType(new Headers({ 'content-type': 'text/plain' }), true), failsWith('unsupported_media_type'));
  assert.throws(() => assertJsonContentType(new Headers(), true), failsWith('unsupported_media_type'));
  assertJsonContentType(new Headers(), false);
  assert.throws(() => assertJsonContentType(new Headers({ 'content-type': 'application/x-www-form-urlencoded' }), false), failsWith('unsupported_media_type'));
});

test('a declared Content-Length over the limit is refused before reading', async () => {
  const body = new ReadableStream({ pull: () => assert.fail('must not read') });
  await assert.rejects(readJsonBody({ headers: new Headers({ 'content-length': '1025' }), body }, 1024), failsWith('payload_too_large'));
});

test('a body without a length is cut off at the limit, not read to its end', async () => {
  const { request, pulled } = streamed(1000, 1024);
  await assert.rejects(readJsonBody(request, 8 * 1024), failsWith('payload_too_large'));
  assert.ok(pulled() <= 10, `pulled ${pulled()} chunks`);
});

test('JSON within the limit is parsed; empty, broken or non-UTF-8 bodies are 400', async () => {
  const body = (bytes: BodyInit) => ({ headers: new Headers(), body: new Response(bytes).body });
  assert.deepEqual(await readJsonBody(body('{"a":[1,"é"]}'), 100), { a: [1, 'é'] });
  assert.deepEqual(await readJsonBody(body('\uFEFF{"a":1}'), 100), { a: 1 });
  await assert.rejects(readJsonBody(body(''), 100), failsWith('bad_request'));
  await assert.rejects(readJsonBody(body('{"a":'), 100), failsWith('bad_request'));
  await assert.rejects(readJsonBody(body(Uint8Array.from([0x22, 0xff, 0x22])), 100), failsWith('bad_request'));
  await assert.rejects(readJsonBody(body('"' + 'x'.repeat(200) + '"'), 100), failsWith('payload_too_large'));
});
