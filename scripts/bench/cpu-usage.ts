import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;
const SERVERS = ['postgres', 'mariadbd', 'mysqld', 'redis-server'];

function processTicks(pid: number): { comm: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime: fields 14 and 15 of the line, 12th and 13th after "(comm) ".
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // exited
  }
}

function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number };
  /** Database and Redis server processes: pid → [program, ticks]. */
  servers: Map<number, [string, number]>;
  workers: Map<number, number>;
  self: NodeJS.CpuUsage;
}

/** CPU times of the database servers, Redis, the given worker processes and this process (the writer). */
export function cpuSnapshot(workerPids: number[]): CpuSnapshot {
  const servers = new Map<number, [string, number]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = processTicks(Number(entry));
    if (p && SERVERS.includes(p.comm)) servers.set(Number(entry), [p.comm, p.ticks]);
  }
  const workers = new Map<number, number>();
  for (const pid of workerPids) {
    const p = processTicks(pid);
    if (p) workers.set(pid, p.ticks);
  }
  return { at: performance.now(), machine: machineTicks(), servers, workers, self: process.cpuUsage() };
}

/**
 * Where the CPU went between two snapshots. Processes that exited in between are missing
 * (a database backend that closed, a worker that died): the figures are lower bounds.
 */
export function describeCpu(from: CpuSnapshot, to: CpuSnapshot): string {
  const seconds = (to.at - from.at) / 1000;
  const busy = (to.machine.busy - from.machine.busy) / Math.max(1, to.machine.total - from.machine.total);
  const cpu = (ticks: number) => `${(ticks / TICKS).toFixed(1)} s`;
  const byName = new Map<string, number>();
  for (const [pid, [name, ticks]] of to.servers) byName.set(name, (byName.get(name) ?? 0) + ticks - (from.servers.get(pid)?.[1] ?? 0));
  const workers = [...from.workers.keys()].map((pid) => (to.workers.has(pid) ? cpu(to.workers.get(pid)! - from.workers.get(pid)!) : 'exited'));
  const self = process.cpuUsage(from.self);
  return `${seconds.toFixed(0)} s wall, machine ${(busy * 100).toFixed(0)} % busy; CPU: workers ${workers.join(' + ')}, ` +
    `${[...byName].map(([name, ticks]) => `${name} ${cpu(ticks)}`).join(', ')}, writer/benchmark process ${((self.user + self.system) / 1e6).toFixed(1)} s`;
}
