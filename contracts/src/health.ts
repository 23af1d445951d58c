import { z } from 'zod';

export const healthz = z.object({ status: z.literal('ok') });
export const readyz = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({
    engine: z.enum(['embedded', 'url']),
    version: z.string(),
    migration: z.string().nullable(),
  }),
});
export type Readyz = z.infer<typeof readyz>;
