/**
 * A CSV download streamed chunk by chunk from `lines`, read only as the client pulls.
 * `first` is a chunk the route already read (so that, for example, an unknown report
 * fails as a 404 before the response starts); it is sent first.
 */
export function csvResponse(lines: AsyncIterator<string>, filename: string, first?: IteratorResult<string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first && !first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    },
  });
}
