import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log } from './bench-env';
import { procMemoryKb } from './peak-rss';

const ROOT = path.resolve(import.meta.dirname, '../..');

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Their output goes to stderr: stdout carries only the benchmark's JSON line.
    const child = spawn(command, args, { cwd: ROOT, env: process.env, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * What `npm start` runs: the Next.js build (NEXT_DIST_DIR, .next by default, built first
 * when missing or when `rebuild`) and the web server compiled to dist/web-server.mjs.
 */
export async function ensureWebBuild(rebuild: boolean): Promise<void> {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (rebuild || !existsSync(path.join(ROOT, distDir, 'BUILD_ID'))) {
    log(`${rebuild ? '--rebuild' : `no Next.js build in ${distDir}`}: running next build first (minutes)`);
    const started = performance.now();
    await run('npx', ['next', 'build']);
    log(`next build done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } else {
    log(`Next.js build: ${distDir} (built ${readFileSync(path.join(ROOT, distDir, 'BUILD_ID'), 'utf8').trim()}; --rebuild to build the current code)`);
  }
  await run(process.execPath, ['scripts/build-web-server.mjs']);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface WebServer {
  origin: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The production web server as `npm start` runs it, on a free port; resolves once it
 * answers. `nodeOptions` are added to NODE_OPTIONS, to measure memory settings.
 */
export async function startWebServer(nodeOptions = ''): Promise<WebServer> {
  const port = await freePort();
  const env = nodeOptions ? { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim() } : process.env;
  const child: ChildProcess = spawn(process.execPath, ['dist/web-server.mjs', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const server: WebServer = {
    origin,
    pid: child.pid as number,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited at start:\n${output}`);
    const answered = await fetch(`${origin}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (answered === 200) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the web server did not answer /api/health with 200 within 120 s (last: ${answered}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The process and all its descendants, from /proc/<pid>/stat's parent ids. */
export function pidTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent id; the command (field 2) may hold spaces and parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), parent);
    } catch {
      // exited while listing
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
  return tree;
}

/**
 * The resident memory of a process tree (summed over its processes), sampled every
 * `everyMs`; the tree is listed again every second, so a child started meanwhile counts.
 */
export class TreeRssSampler {
  private maxKb = 0;
  private lastKb = 0;
  private pids: number[];
  private listedAt = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number, everyMs = 100) {
    this.pids = pidTree(root);
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const now = Date.now();
    if (now - this.listedAt > 1000) {
      this.pids = pidTree(this.root);
      this.listedAt = now;
    }
    this.lastKb = this.pids.reduce((sum, pid) => sum + (procMemoryKb(pid, 'VmRSS') ?? 0), 0);
    this.maxKb = Math.max(this.maxKb, this.lastKb);
  }

  nowMb(): number {
    return this.lastKb / 1024;
  }

  /** Peak since the start, in MB; stops sampling. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.maxKb / 1024;
  }

  processCount(): number {
    return this.pids.length;
  }
}
