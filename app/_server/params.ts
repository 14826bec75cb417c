import { z } from 'zod';
import { MAX_DB_INTEGER } from '@/lib/schemas/db-integer';

/** Route params of an error row under its job. */
export const errorRowParams = z.object({
  id: z.string().uuid('must be a valid id'),
  errorId: z.coerce.number().int('must be an error row number').positive('must be an error row number').max(MAX_DB_INTEGER, 'must be an error row number'),
});
