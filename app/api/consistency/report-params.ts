import { z } from 'zod';

export const reportParams = z.object({ reportId: z.string().uuid('must be a valid report id') });
