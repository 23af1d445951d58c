import { z } from 'zod';

/**
 * Every free-text input goes through here. PostgreSQL text cannot hold U+0000, so a NUL byte would otherwise reach the
 * database and fail there (a 500); rejecting it at the edge gives a clear 400. Everything else is data: stored and
 * returned verbatim, escaped on output.
 */
export const noNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = '包含无效字符（NUL）';

export function inputText(min: number, max: number, minMessage?: string) {
  return z.string().trim().min(min, minMessage).max(max).refine(noNul, NUL_MESSAGE);
}

/** Opaque cursors are base64url. */
export const cursorText = z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, 'cursor 无效');
