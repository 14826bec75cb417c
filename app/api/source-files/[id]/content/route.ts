import { idParams, route } from '@/app/_server/route';
import { appendSourceFileChunk, MAX_CHUNK_BYTES } from '@/lib/file-sources/append-source-file-chunk';
import { uploadChunkQuerySchema } from '@/lib/schemas/file-source';

/** One chunk of an upload, as raw bytes streamed to the file: the body is never read into memory. */
export const PUT = route(
  { permission: 'connections:write', params: idParams, query: uploadChunkQuerySchema, rawBody: { maxBytes: MAX_CHUNK_BYTES, contentTypes: ['application/octet-stream'] } },
  async ({ actor, params, query, request }) => appendSourceFileChunk(params.id, query.offset, request.body, actor),
);
