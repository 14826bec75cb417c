import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

export interface SpawnedWorker {
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * A real worker process (`workers/main.ts` through tsx, or other node arguments such as a
 * compiled bundle), as production runs it.
 */
export function spawnWorker(env: Record<string, string> = {}, nodeArgs: string[] = ['--import', 'tsx', 'workers/main.ts']): SpawnedWorker {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: root,
    env: { ...process.env, WORKER_CONCURRENCY: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
