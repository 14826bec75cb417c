import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { expectEventually } from './support/wait';

/**
 * `npm run demo` starts the web app and the worker through scripts/lib/process-group.sh and
 * `npm run demo:stop` (scripts/demo-stop.sh) stops them. The web app's real shape is
 * npx → next → next-server, the listener two levels down; a fake service of the same
 * shape stands in for it, so no Next build is needed.
 */
const root = path.resolve(import.meta.dirname, '../..');
const runDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-demo-processes-'));
const started: number[] = [];

// The listener: a grandchild of the service's first process, like next-server.
const SERVER = `
  const server = require('net').createServer((c) => c.end());
  if (process.env.IGNORE_TERM) process.on('SIGTERM', () => {});
  server.listen(Number(process.env.PORT), '127.0.0.1', () => require('fs').writeFileSync(process.env.PID_OUT, String(process.pid)));`;
const SERVICE = ['bash', '-c', `bash -c '\${ESCAPE:+setsid} node -e "$SERVER"; echo "listener exited"' & wait`];

const run = promisify(execFile);

/** Runs a function of scripts/lib/process-group.sh with arguments, as demo.sh does. */
function processGroup(fn: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', `. scripts/lib/process-group.sh && ${fn} "$@"`, '_', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Running, not a zombie waiting for its parent (init here may never reap it). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

const groupPids = (pgid: number) =>
  (spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number).filter(running);

/** The process and all its descendants that are running now. */
function processTree(pid: number): number[] {
  const table = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of table) if (parent === tree[i]) tree.push(child);
  return tree.filter(running);
}

/** Starts the fake web service as demo.sh starts the real one; resolves once it listens. */
async function startService(name: string, port: number, env: Record<string, string> = {}) {
  const pidFile = path.join(runDir, `${name}.pid`);
  const listenerPidFile = path.join(runDir, `${name}.listener`);
  const result = processGroup('start_group', [pidFile, path.join(runDir, `${name}.log`), ...SERVICE], {
    SERVER,
    PORT: String(port),
    PID_OUT: listenerPidFile,
    ...env,
  });
  assert.equal(result.status, 0, result.stderr);
  const listener = await expectEventually(
    async () => {
      const pid = existsSync(listenerPidFile) ? Number(readFileSync(listenerPidFile, 'utf8')) : 0;
      if (!pid) throw new Error(`the service is not listening yet; see ${name}.log`);
      return pid;
    },
    { timeoutMs: 10_000 },
  );
  assert.ok(await accepts(port));
  const pgid = Number(readFileSync(pidFile, 'utf8').split(' ')[0]);
  const pids = processTree(pgid);
  started.push(...pids, listener);
  return { pidFile, pgid, pids, listener };
}

after(() => {
  for (const pid of started) if (running(pid)) process.kill(pid, 'SIGKILL');
  rmSync(runDir, { recursive: true, force: true });
});

test('demo:stop stops the whole service: the listener two levels down too, and the port is free', async () => {
  const port = await freePort();
  const { pidFile, pgid, pids, listener } = await startService('web', port);
  assert.equal(pids.length, 3, `service, child and listener: ${pids.join(', ')}`);
  assert.equal(pids[2], listener);

  const stop = await run('bash', ['scripts/demo-stop.sh'], { cwd: root, env: { ...process.env, FERRY_RUN_DIR: runDir } });
  assert.match(stop.stdout, /^stopped web\b/m);

  assert.deepEqual(pids.filter(running), [], 'no process of the service survives');
  assert.deepEqual(groupPids(pgid), [], 'nor anything else of its process group');
  assert.equal(await accepts(port), false, 'nothing serves the port any more');
  assert.equal(existsSync(pidFile), false);
});

test('a service that ignores TERM is killed after the grace period', async () => {
  const port = await freePort();
  const { pidFile, pids } = await startService('stubborn', port, { IGNORE_TERM: '1' });
  const stopped = Date.now();
  const result = processGroup('stop_group', [pidFile], { FERRY_STOP_GRACE_S: '1' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /stubborn did not stop within 1 s; killing it/);
  assert.ok(Date.now() - stopped < 10_000);
  assert.deepEqual(pids.filter(running), []);
  assert.equal(await accepts(port), false);
});

test('a listener that left the service’s process group is stopped too', async () => {
  const port = await freePort();
  const { pidFile, pgid, pids, listener } = await startService('escaped', port, { ESCAPE: '1' });
  assert.ok(!groupPids(pgid).includes(listener), 'the listener runs in a session of its own');
  assert.equal(processGroup('stop_group', [pidFile]).status, 0);
  assert.deepEqual(pids.filter(running), []);
  assert.equal(await accepts(port), false);
});

test('starting on a port that something else holds fails, naming the holder and how to stop it', async () => {
  const port = await freePort();
  const other = net.createServer().listen(port, '127.0.0.1');
  await new Promise((resolve) => other.once('listening', resolve));
  try {
    const refused = processGroup('require_free_port', [String(port)]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`Port ${port} is already in use by:\\n +pid ${process.pid}: \\S*node `));
    assert.match(refused.stderr, /npm run demo:stop/);
    assert.match(refused.stderr, new RegExp(`PORT=${port + 1} npm run demo`));
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
  assert.equal(processGroup('require_free_port', [String(port)]).status, 0, 'a free port passes');
});

test('the port check lets through only the earlier demo it is about to stop', async () => {
  const port = await freePort();
  const { pidFile, listener } = await startService('earlier', port);
  assert.equal(processGroup('require_free_port', [String(port), pidFile]).status, 0, 'held by the group in the pid file');
  const strict = processGroup('require_free_port', [String(port)]);
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, new RegExp(`pid ${listener}: node -e`));
  processGroup('stop_group', [pidFile]);
  assert.equal(await accepts(port), false);
});
