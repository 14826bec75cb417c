import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SpawnedWorker } from '../../tests/integration/support/spawn-worker';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Worker processes from the esbuild bundle of workers/main.ts (buildWorkerBundle in
 * run-migration.ts): what a compiled deployment runs. They inherit this process's
 * environment, so they use the benchmark's metadata database and queue prefix.
 */
export async function startBundledWorkers(bundle: string, count: number, env: Record<string, string>): Promise<SpawnedWorker[]> {
  const workers = Array.from({ length: count }, () => spawnBundled(bundle, env));
  const deadline = Date.now() + 60_000;
  try {
    for (const worker of workers) {
      while (!/\] started \(concurrency/.test(worker.output())) {
        if (worker.process.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
        if (Date.now() > deadline) throw new Error(`worker did not start within 60 s:\n${worker.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stopWorkers(workers); // no orphans when one of them fails to start
    throw error;
  }
  return workers;
}

function spawnBundled(bundle: string, env: Record<string, string>): SpawnedWorker {
  const child = spawn(process.execPath, [bundle], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function stopWorkers(workers: SpawnedWorker[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      const kill = setTimeout(() => worker.process.kill('SIGKILL'), 30_000);
      await worker.stop('SIGTERM');
      clearTimeout(kill);
    }),
  );
}
