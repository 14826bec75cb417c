import { parentPort } from 'node:worker_threads';
import { transformSample, type SampleTask } from './transform-sample';

/**
 * Entry of a preview thread (started by sample-thread-pool.ts): maps sample rows on
 * request, one task at a time. A task that throws answers with its message; the thread
 * stays for the next one.
 */
if (parentPort === null) throw new Error('preview-thread.ts runs as a worker thread only');
const port = parentPort;

port.on('message', ({ id, input }: { id: number; input: SampleTask }) => {
  try {
    port.postMessage({ id, ok: true, output: transformSample(input) });
  } catch (error) {
    port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
