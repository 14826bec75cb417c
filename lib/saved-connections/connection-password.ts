import { SecretEnvelopeError, decryptSecret, encryptSecret } from '../crypto/secret-box';
import { secretKeys } from '../crypto/secret-keys';
import { AppError } from '../errors';

/**
 * A connection's password is sealed for that connection: its id is the envelope's
 * authenticated context, so a ciphertext copied into another connection's row does not open.
 */
export const connectionSecretContext = (connectionId: string) => `connection:${connectionId}`;

export function sealConnectionPassword(connectionId: string, password: string): string {
  return encryptSecret(password, secretKeys().current, connectionSecretContext(connectionId));
}

export function openConnectionPassword(connectionId: string, envelope: string): string {
  try {
    return decryptSecret(envelope, secretKeys().all, connectionSecretContext(connectionId));
  } catch (error) {
    if (!(error instanceof SecretEnvelopeError)) throw error;
    // Stable and safe to show: it names the key id, never key material or ciphertext.
    throw new AppError(
      'conflict',
      `The stored password of this connection cannot be decrypted (${error.message}); enter the password again, or configure the key it was sealed with`,
      [{ path: 'password', message: 'cannot be decrypted; enter it again' }],
    );
  }
}
