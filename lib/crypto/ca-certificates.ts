import { X509Certificate } from 'node:crypto';
import { AppError } from '../errors';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

const refuse = (message: string) =>
  new AppError('validation_failed', `CA certificate ${message}`, [{ path: 'body.sslCaCertificate', message }]);

/**
 * Checks a pasted CA certificate (one or more PEM certificates) and returns it in canonical
 * form: the certificates only, as Node re-encodes them, so comments around them go and two
 * pastes of the same authority compare equal (stored-password-binding.ts relies on that).
 * Undefined or blank means "the system's trusted authorities" (null).
 *
 * The browser's schema has already refused private keys and oversized text; this is the
 * server's full check, which needs node:crypto.
 */
export function canonicalCaCertificate(pem: string | null | undefined, now = new Date()): string | null {
  if (!pem || !pem.trim()) return null;
  const certificates: string[] = [];
  for (const [block, label] of pem.matchAll(PEM_BLOCK)) {
    if (label !== 'CERTIFICATE') {
      throw refuse(`must contain only certificates, not a ${label.toLowerCase()}`);
    }
    const position = certificates.length + 1;
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      throw refuse(`number ${position} is not a valid X.509 certificate (its base64 text is damaged or incomplete)`);
    }
    if (new Date(certificate.validTo).getTime() < now.getTime()) {
      throw refuse(`number ${position} (${certificate.subject.replaceAll('\n', ', ')}) expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}`);
    }
    certificates.push(certificate.toString().trim());
  }
  if (certificates.length === 0) throw refuse('must be PEM text starting with -----BEGIN CERTIFICATE-----');
  return `${certificates.join('\n')}\n`;
}
