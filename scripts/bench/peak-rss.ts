import { readFileSync } from 'node:fs';

/** Resident memory of a process in kB from /proc/<pid>/status (VmRSS, or VmHWM = its peak). */
export function procMemoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // exited, or no /proc (not Linux)
  }
}

/**
 * Samples VmRSS of the given processes every `everyMs` and keeps the maximum; peak() also
 * reads each process's VmHWM (the kernel's own high-water mark), so a spike between two
 * samples is not missed. Call peak() before the processes exit.
 */
export class PeakRss {
  private maxKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: number[], everyMs = 200) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    for (const pid of this.pids) this.maxKb = Math.max(this.maxKb, procMemoryKb(pid, 'VmRSS') ?? 0);
  }

  /** Peak over all processes, in MB; stops sampling. */
  peakMb(): number {
    clearInterval(this.timer);
    this.sample();
    for (const pid of this.pids) this.maxKb = Math.max(this.maxKb, procMemoryKb(pid, 'VmHWM') ?? 0);
    return this.maxKb / 1024;
  }

  /** Peak per process, in MB (VmHWM), for the log. */
  perProcessMb(): number[] {
    return this.pids.map((pid) => (procMemoryKb(pid, 'VmHWM') ?? 0) / 1024);
  }
}
