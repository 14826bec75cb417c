import { spawn } from 'node:child_process';

/** Runs one psql command (`-c`) against a database of the local server; resolves with its output. */
export function runPsql(database: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (error) => reject(new Error(`psql could not be started (${error.message}); the benchmark needs the PostgreSQL client on PATH`)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql exited with ${code}: ${err.trim()}`))));
  });
}
