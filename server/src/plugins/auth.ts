import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { errors } from '../errors.ts';
import { sha256 } from '../lib/crypto.ts';
import type { Grant } from '../modules/auth/scope.ts';
import { SessionCache } from './session-cache.ts';
import type pg from 'pg';

export const SESSION_COOKIE = 'lx_session';

export interface AuthContext {
  account: {
    id: string; username: string; displayName: string; demo: boolean; personId: string | null;
    mustChangePassword: boolean; totpEnabled: boolean;
    /** The login-security policy requires a second factor for one of the account's roles and it has none yet. */
    totpSetupRequired: boolean;
  };
  grants: Grant[];
  session: { id: string; csrfToken: string; expiresAt: Date; idleExpiresAt: Date };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    requireAuth: (req: FastifyRequest) => Promise<void>;
  }
}

/** The settings key of the login-security policy: roles that must use a second factor (TOTP). */
export const REQUIRE_TOTP_SETTING = 'auth.requireTotpRoles';

/**
 * Routes an account that is not yet secured may still use (route config `whilePending`): 'password' — with a one-time
 * password (/auth/me, change password, logout); 'totp' — while the policy requires a second factor it has not set up
 * (those plus the account page's own routes, to set it up). Everything else answers 403 until then.
 */
export type Pending = 'password' | 'totp';
declare module 'fastify' {
  interface FastifyContextConfig {
    whilePending?: Pending[];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Writes under these prefixes may change what a resolved session holds (sessions, accounts, roles, the login policy,
 * people leaving the roster, org names and paths): they drop this process's session cache before answering.
 */
const AUTH_CHANGING_PREFIXES = ['/api/v1/auth/', '/api/v1/accounts', '/api/v1/settings', '/api/v1/people', '/api/v1/orgs', '/api/v1/grids', '/api/v1/system'];
// Refresh the idle deadline at most this often, so reads don't each cost a write.
const TOUCH_EVERY_MS = 60_000;

type SessionRow = {
  id: string;
  csrf_token: string;
  expires_at: Date;
  idle_expires_at: Date;
  last_seen_at: Date;
  account_id: string;
  person_id: string | null;
  username: string;
  display_name: string;
  demo: boolean;
  disabled: boolean;
  must_change_password: boolean;
  totp_enabled: boolean;
  require_totp_roles: string[] | null;
  grants: { role: Grant['role']; org_id: string; code: string; name: string; level: string; path: string }[];
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session behind a cookie token, or null when it is unknown, revoked, expired or its account is disabled. */
export async function resolveSession(db: Db, config: Config, token: string): Promise<AuthContext | null> {
  const { rows } = await db.execute<SessionRow>(sql`
    SELECT s.id, s.csrf_token, s.expires_at, s.idle_expires_at, s.last_seen_at, s.account_id, a.person_id,
           a.username, a.display_name, a.demo, a.disabled, a.must_change_password,
           a.totp_enabled_at IS NOT NULL AS totp_enabled,
           (SELECT value FROM settings WHERE key = ${REQUIRE_TOTP_SETTING}) AS require_totp_roles,
           -- Roles ride along in the same round trip: every authenticated request needs them.
           coalesce((SELECT json_agg(json_build_object('role', r.role, 'org_id', r.org_id, 'code', o.code, 'name', o.short_name,
                                                       'level', o.level, 'path', o.path) ORDER BY o.depth, r.role)
                     FROM account_roles r JOIN orgs o ON o.id = r.org_id WHERE r.account_id = a.id), '[]') AS grants
    FROM sessions s JOIN accounts a ON a.id = s.account_id
    WHERE s.id = ${sha256(token)} AND s.revoked_at IS NULL
      AND s.expires_at > now() AND s.idle_expires_at > now()`);
  const s = rows[0];
  if (!s || s.disabled) return null;
  if (s.demo && config.production) return null;
  let idleExpiresAt = new Date(s.idle_expires_at);
  if (Date.now() - new Date(s.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    idleExpiresAt = new Date(Math.min(Date.now() + config.sessionIdleMinutes * 60_000, new Date(s.expires_at).getTime()));
    await db.execute(sql`UPDATE sessions SET last_seen_at = now(), idle_expires_at = ${idleExpiresAt.toISOString()} WHERE id = ${s.id}`);
  }
  const required = s.require_totp_roles ?? [];
  return {
    account: {
      id: s.account_id, username: s.username, displayName: s.display_name, demo: s.demo, personId: s.person_id,
      mustChangePassword: s.must_change_password, totpEnabled: s.totp_enabled,
      totpSetupRequired: !s.totp_enabled && s.grants.some((g) => required.includes(g.role)),
    },
    grants: s.grants.map((g) => ({ role: g.role, orgId: g.org_id, orgCode: g.code, orgName: g.name, orgLevel: g.level, orgPath: g.path })),
    session: { id: s.id, csrfToken: s.csrf_token, expiresAt: new Date(s.expires_at), idleExpiresAt },
  };
}

/**
 * Loads the caller from the session cookie on every request. Writes made with the cookie must carry the session's
 * CSRF token in `x-csrf-token` (a cross-site form or fetch cannot read it), checked here before any route runs.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db; config: Config; pool?: pg.Pool }) => {
  const { db, config } = opts;
  app.decorateRequest('auth', null);
  // Resolved sessions for a few seconds, keyed by the session id (the token's hash); see session-cache.ts for how
  // changes reach it. Without a pool to listen on (none today) the cache stays off rather than risk staleness.
  const cache = opts.pool ? new SessionCache<AuthContext>() : null;
  if (cache && opts.pool) {
    await cache.listen(opts.pool.options);
    app.addHook('onClose', async () => cache.close());
  }

  async function authenticate(token: string): Promise<AuthContext | null> {
    if (!cache) return resolveSession(db, config, token);
    const id = sha256(token);
    const hit = cache.get(id);
    const now = Date.now();
    if (hit && hit.session.expiresAt.getTime() > now && hit.session.idleExpiresAt.getTime() > now) return hit;
    const auth = await resolveSession(db, config, token);
    if (auth) cache.set(id, auth);
    return auth;
  }

  app.addHook('onRequest', async (req) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return;
    const unsigned = req.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return;
    req.auth = await authenticate(unsigned.value);
    // One place for every route, so a new route cannot forget it. Public routes (schema `security: []`: login, health,
    // the contact card) answer anyone; 404s and the web's files are not the API's concern.
    const a = req.auth?.account;
    if (!a || !req.url.startsWith('/api/') || !req.routeOptions.url) return;
    const schema = req.routeOptions.schema as { security?: unknown[] } | undefined;
    if (schema?.security?.length === 0) return;
    const allowed = req.routeOptions.config.whilePending ?? [];
    if (a.mustChangePassword && !allowed.includes('password')) throw errors.passwordChangeRequired();
    if (a.totpSetupRequired && !allowed.includes('totp')) throw errors.totpSetupRequired();
  });

  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method) || !req.auth) return;
    if ((req.routeOptions.config as { csrf?: boolean } | undefined)?.csrf === false) return;
    const token = req.headers['x-csrf-token'];
    if (typeof token !== 'string' || !safeEqual(token, req.auth.session.csrfToken)) {
      throw errors.forbidden('缺少或错误的 CSRF 令牌，请刷新页面后重试');
    }
  });

  if (cache) {
    app.addHook('onSend', async (req) => {
      if (!SAFE_METHODS.has(req.method) && AUTH_CHANGING_PREFIXES.some((p) => req.url.startsWith(p))) cache.clear();
    });
  }

  app.decorate('requireAuth', async (req: FastifyRequest) => {
    if (!req.auth) throw errors.unauthenticated();
  });
});
