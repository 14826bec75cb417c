import { AppError } from '../errors';

/**
 * A chunk sent for the wrong place: the answer carries where the upload stands
 * (`expectedOffset`), so a client that lost an answer resumes from there.
 */
export class UploadOffsetError extends AppError {
  readonly details: { expectedOffset: number };

  constructor(message: string, expectedOffset: number) {
    super('conflict', message, [{ path: 'query.offset', message: `must be ${expectedOffset}, the bytes received so far` }]);
    this.details = { expectedOffset };
  }
}
