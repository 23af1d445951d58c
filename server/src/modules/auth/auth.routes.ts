import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inArray, sql } from 'drizzle-orm';
import { errorBody, loginBody, logoutBody, meBody, okBody, type Me } from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { orgs } from '../../db/schema/index.ts';
import { errors } from '../../errors.ts';
import { resolveSession, SESSION_COOKIE, type AuthContext } from '../../plugins/auth.ts';
import { presentMe } from './auth.presenter.ts';
import { orgReadRoots } from './scope.ts';
import * as service from './auth.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody };

export async function authRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const { db, config } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function scopeRootOrgs(auth: AuthContext): Promise<Me['scopeRoots']> {
    const codes = orgReadRoots(auth.grants).map((p) => p.split('/').pop()!);
    if (!codes.length) return [];
    const rows = await db.select({ code: orgs.code, name: orgs.shortName, level: orgs.level }).from(orgs)
      .where(inArray(orgs.code, codes)).orderBy(sql`${orgs.depth}, ${orgs.sortKey}`);
    return rows.map((o) => ({ ...o, level: o.level as Me['scopeRoots'][number]['level'] }));
  }

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    // Lax keeps the session on top-level navigation from a link (e.g. a notification) but not on cross-site writes.
    sameSite: 'lax' as const,
    secure: config.production,
    signed: true,
  };

  r.post('/login', {
    schema: { tags: ['auth'], summary: '登录', security: [], body: loginBody, response: { 200: meBody, ...errorResponses } },
    config: {
      csrf: false,
      rateLimit: { max: config.loginRatePerMinute, timeWindow: 60_000 },
    },
  }, async (req, reply) => {
    const result = await service.login(db, config, req, req.body.username, req.body.password);
    const auth = await resolveSession(db, config, result.token);
    if (!auth) throw errors.unauthenticated();
    reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, expires: result.expiresAt });
    return { data: presentMe(auth, await scopeRootOrgs(auth)) };
  });

  r.post('/logout', {
    schema: { tags: ['auth'], summary: '退出登录（everywhere=true 退出所有设备）', body: logoutBody.optional(), response: { 200: okBody, ...errorResponses } },
    preHandler: app.requireAuth,
  }, async (req, reply) => {
    await service.logout(db, req, req.body?.everywhere ?? false);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { data: { ok: true as const } };
  });

  r.get('/me', {
    schema: { tags: ['auth'], summary: '当前用户、角色与范围', response: { 200: meBody, ...errorResponses } },
    preHandler: app.requireAuth,
  }, async (req) => {
    const auth = req.auth!;
    return { data: presentMe(auth, await scopeRootOrgs(auth)) };
  });
}
