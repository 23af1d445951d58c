import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inArray, sql } from 'drizzle-orm';
import {
  changePasswordBody, errorBody, loginBody, loginPolicy, loginPolicyBody, logoutBody, meBody, myAccountBody, okBody, recoveryCodesBody,
  revokedBody, sessionListBody, totpDisableBody, totpEnableBody, totpSetupBody, type Me,
} from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { orgs } from '../../db/schema/index.ts';
import { errors } from '../../errors.ts';
import { resolveSession, SESSION_COOKIE, type AuthContext, type Pending } from '../../plugins/auth.ts';
import { presentMe } from './auth.presenter.ts';
import { orgReadRoots } from './scope.ts';
import * as service from './auth.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 429: errorBody };
/** Routes an account with a one-time password, or without the second factor the policy requires, may still use. */
const ALWAYS = { whilePending: ['password', 'totp'] as Pending[] };
const SECURING = { whilePending: ['totp'] as Pending[] };

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
    const result = await service.login(db, config, req, req.body.username, req.body.password, req.body.totpCode);
    const auth = await resolveSession(db, config, result.token);
    if (!auth) throw errors.unauthenticated();
    reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, expires: result.expiresAt });
    return { data: presentMe(auth, await scopeRootOrgs(auth)) };
  });

  r.post('/logout', {
    schema: { tags: ['auth'], summary: '退出登录（everywhere=true 退出所有设备）', body: logoutBody.optional(), response: { 200: okBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: ALWAYS,
  }, async (req, reply) => {
    await service.logout(db, req, req.body?.everywhere ?? false);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { data: { ok: true as const } };
  });

  r.get('/me', {
    schema: { tags: ['auth'], summary: '当前用户、角色与范围', response: { 200: meBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: ALWAYS,
  }, async (req) => {
    const auth = req.auth!;
    return { data: presentMe(auth, await scopeRootOrgs(auth)) };
  });

  r.post('/password', {
    schema: { tags: ['auth'], summary: '修改自己的密码（需当前密码；其他设备随之退出）', body: changePasswordBody, response: { 200: okBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: ALWAYS,
  }, async (req) => {
    await service.changePassword(db, config, req, req.body.currentPassword, req.body.newPassword);
    return { data: { ok: true as const } };
  });

  r.get('/account', {
    schema: { tags: ['auth'], summary: '我的账户：上次登录、密码修改时间、动态验证码状态', response: { 200: myAccountBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: SECURING,
  }, async (req) => ({ data: await service.myAccount(db, req.auth!) }));

  r.get('/sessions', {
    schema: { tags: ['auth'], summary: '我的登录设备（未过期的会话）', response: { 200: sessionListBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: SECURING,
  }, async (req) => ({ data: await service.listSessions(db, req.auth!) }));

  r.post('/sessions/revoke-others', {
    schema: { tags: ['auth'], summary: '退出其他设备', response: { 200: revokedBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: SECURING,
  }, async (req) => ({ data: { revoked: await service.revokeOtherSessions(db, req) } }));

  r.post('/totp/setup', {
    schema: { tags: ['auth'], summary: '设置动态验证码：生成密钥与二维码（确认后才启用）', response: { 200: totpSetupBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: SECURING,
  }, async (req) => ({ data: await service.setupTotp(db, config, req) }));

  r.post('/totp/enable', {
    schema: { tags: ['auth'], summary: '用验证器的动态验证码确认并启用；恢复码只返回这一次', body: totpEnableBody, response: { 200: recoveryCodesBody, ...errorResponses } },
    preHandler: app.requireAuth,
    config: SECURING,
  }, async (req) => ({ data: { recoveryCodes: await service.enableTotp(db, config, req, req.body.code) } }));

  r.post('/totp/disable', {
    schema: { tags: ['auth'], summary: '停用动态验证码（需密码和动态验证码或恢复码）', body: totpDisableBody, response: { 200: okBody, ...errorResponses } },
    preHandler: app.requireAuth,
  }, async (req) => {
    await service.disableTotp(db, config, req, req.body.password, req.body.code);
    return { data: { ok: true as const } };
  });

  r.get('/policy', {
    schema: { tags: ['auth'], summary: '登录安全策略：哪些角色必须使用动态验证码', response: { 200: loginPolicyBody, ...errorResponses } },
    preHandler: app.requireAuth,
  }, async (req) => ({ data: await service.getLoginPolicy(db, req.auth!) }));

  r.put('/policy', {
    schema: { tags: ['auth'], summary: '修改登录安全策略（连心办、系统管理员）', body: loginPolicy, response: { 200: loginPolicyBody, ...errorResponses } },
    preHandler: app.requireAuth,
  }, async (req) => ({ data: await service.putLoginPolicy(db, req, req.body) }));
}
