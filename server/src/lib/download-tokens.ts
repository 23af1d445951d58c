import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { errors } from '../errors.ts';
import { sha256 } from './crypto.ts';

/**
 * Short-lived, single-use download tokens for unmasked exports. A cookie-authenticated GET can be triggered by any
 * site (a link, an <img>, a top-level navigation), so a full export is never reachable by a GET alone: the page first
 * POSTs the export's parameters and reason with the CSRF header and gets a token bound to the session, the export kind
 * and those parameters; the browser then downloads with a plain GET carrying only the token (the file still streams).
 *
 * Kept in memory: LianXin runs as one process (imports use the same in-process queue), and a token lives 60 s — a
 * restart in between only means clicking 导出 again. Only the token's hash is stored.
 */
export const DOWNLOAD_TOKEN_TTL_MS = 60_000;
/** A bound on live tokens so a busy or hostile client cannot grow the map without limit (oldest dropped first). */
const MAX_LIVE = 10_000;

interface Entry { sessionId: string; kind: string; params: unknown; expiresAt: number }
const live = new Map<string, Entry>();

function sweep(now: number) {
  for (const [k, e] of live) if (e.expiresAt <= now) live.delete(k);
  while (live.size >= MAX_LIVE) live.delete(live.keys().next().value!);
}

export function issueDownloadToken(sessionId: string, kind: string, params: unknown): { token: string; expiresAt: string } {
  const now = Date.now();
  sweep(now);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + DOWNLOAD_TOKEN_TTL_MS;
  live.set(sha256(token), { sessionId, kind, params, expiresAt });
  return { token, expiresAt: new Date(expiresAt).toISOString() };
}

/**
 * The parameters a token was issued for, consuming it; null when it is unknown, used, expired, or was issued to
 * another session or for another export. A token presented by the wrong session is left alone (not consumed), so a
 * stranger holding it cannot spend the owner's download.
 */
export function redeemDownloadToken<T>(token: string, sessionId: string, kind: string): T | null {
  const key = sha256(token);
  const e = live.get(key);
  if (!e || e.sessionId !== sessionId || e.kind !== kind) return null;
  live.delete(key);
  return e.expiresAt > Date.now() ? (e.params as T) : null;
}

/**
 * The unmasked export's parameters from a download request carrying `token` (and nothing else: the token holds the
 * filters). 403 when the token is not a live one of this session for this export.
 */
export function paramsOfDownload<T>(req: FastifyRequest, kind: string, token: string, otherParams: Record<string, unknown>): T {
  if (Object.values(otherParams).some((v) => v !== undefined)) {
    throw errors.validation('下载链接已包含导出条件，不能再附加筛选', [{ path: 'querystring/token', message: 'token with filters' }]);
  }
  const params = req.auth ? redeemDownloadToken<T>(token, req.auth.session.id, kind) : null;
  if (!params) throw errors.forbidden('下载链接已失效或已使用，请重新导出');
  return params;
}
