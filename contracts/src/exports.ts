import { z } from 'zod';

/**
 * Unmasked exports take two steps (server: lib/download-tokens.ts): a POST with the CSRF header, the filters and the
 * reason answers a single-use token valid 60 s, bound to the session and those parameters; the browser then
 * downloads `GET …/export?token=…`. A cross-site page can trigger the GET but never obtain a token.
 */
export const downloadToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '下载令牌无效');
export const downloadTokenResult = z.object({ data: z.object({ token: z.string(), expiresAt: z.string() }) });
export type DownloadTokenResult = z.infer<typeof downloadTokenResult>;
