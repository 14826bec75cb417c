import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestAuthority {
  /** PEM certificate of the authority. */
  certificate: string;
  /** A server certificate and key signed by this authority, for the given subject names. */
  issue(subjectAltNames: string[]): { certificate: string; key: string };
}

/**
 * A throwaway certificate authority made with the openssl command line (Node cannot sign
 * certificates), for TLS tests against servers started inside the test.
 */
export function createTestAuthority(name: string): TestAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', 'ca.key', '-out', 'ca.pem');
    const certificate = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const caKey = readFileSync(join(dir, 'ca.key'), 'utf8');
    return {
      certificate,
      issue(subjectAltNames) {
        const work = mkdtempSync(join(tmpdir(), 'ferry-tls-'));
        const run = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          writeFileSync(join(work, 'ca.pem'), certificate);
          writeFileSync(join(work, 'ca.key'), caKey);
          writeFileSync(join(work, 'ext.cnf'), `subjectAltName=${subjectAltNames.join(',')}\nextendedKeyUsage=serverAuth\n`);
          run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=ferry test server', '-keyout', 'server.key', '-out', 'server.csr');
          run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem');
          return { certificate: readFileSync(join(work, 'server.pem'), 'utf8'), key: readFileSync(join(work, 'server.key'), 'utf8') };
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
