import { z } from 'zod';

/** Stable error ids (../shared/ARCHITECTURE.md "API conventions"); the web maps them to Chinese messages. */
export const errorIds = [
  'validation_error',
  'unauthenticated',
  /** Password right, but the account has a second factor: send `totpCode` (a 6-digit code or a recovery code). */
  'totp_required',
  'forbidden',
  /** Signed in with a one-time password: only /auth/me, /auth/password and logout answer until it is changed. */
  'password_change_required',
  /** The login-security policy requires a second factor for one of the caller's roles and none is set up yet. */
  'totp_setup_required',
  'not_found',
  'conflict',
  'payload_too_large',
  /** An upload of a type the route does not take (a photo that is not an image). */
  'unsupported_media_type',
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
