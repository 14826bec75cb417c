import { open } from 'node:fs/promises';

/** How much of a file shape detection reads: enough for 1000 records of most exports. */
export const SHAPE_SAMPLE_BYTES = 1024 * 1024;

/** The first `maxBytes` of a file, and whether the file goes on past them. */
export async function readFileHead(file: string, maxBytes = SHAPE_SAMPLE_BYTES): Promise<{ sample: Buffer; truncated: boolean }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const sample = Buffer.alloc(Math.min(size, maxBytes));
    let filled = 0;
    while (filled < sample.length) {
      const { bytesRead } = await handle.read(sample, filled, sample.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { sample: sample.subarray(0, filled), truncated: size > filled };
  } finally {
    await handle.close();
  }
}
