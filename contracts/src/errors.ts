import { z } from 'zod';

/** Stable error ids (../shared/ARCHITECTURE.md "API conventions"); the web maps them to Chinese messages. */
export const errorIds = [
  'validation_error',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal_error',
] as const;
export type ErrorId = (typeof errorIds)[number];

export const errorBody = z.object({
  error: z.object({
    id: z.enum(errorIds),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
