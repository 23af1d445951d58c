import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  contactGroupInput, contactGroupItem, contactGroupLimits, errorBody, notificationList, notificationListQuery,
  outboxOverview, unreadCount,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { abilitiesOf } from '../auth/scope.ts';
import * as service from './notifications.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();

/** /api/v1/notifications: the caller's own 提醒 (every signed-in account has some, or none). */
export async function notificationRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);

  r.get('/', {
    schema: { tags: ['notifications'], summary: '我的提醒（新的在前；未读数）', querystring: notificationListQuery, response: { 200: notificationList, ...errorResponses } },
  }, async (req) => service.listMine(opts.db, req.auth!.account.id, req.query));

  r.get('/unread-count', {
    // The header's bell asks on every page of the shell, 我的账户 included, where an account sets up its second factor.
    config: { whilePending: ['totp'] },
    schema: { tags: ['notifications'], summary: '未读提醒数（页头的铃铛）', response: { 200: unreadCount, ...errorResponses } },
  }, async (req) => ({ data: { unread: await service.unreadOf(opts.db, req.auth!.account.id) } }));

  r.post('/:id/read', {
    schema: { tags: ['notifications'], summary: '标为已读', params: idParams, response: { 200: unreadCount, ...errorResponses } },
  }, async (req) => ({ data: { unread: await service.markRead(opts.db, req, req.params.id) } }));

  r.post('/read-all', {
    schema: { tags: ['notifications'], summary: '全部标为已读', response: { 200: unreadCount, ...errorResponses } },
  }, async (req) => {
    await service.markAllRead(opts.db, req);
    return { data: { unread: 0 } };
  });
}

/** /api/v1/system/outbox: the admin's view of outgoing messages on 系统维护 (no bodies: they name people). */
export async function outboxRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  r.get('/outbox', {
    schema: { tags: ['system'], summary: '外发消息（短信、企业微信）：发送渠道、各状态数量、最近的消息', response: { 200: outboxOverview, 401: errorBody, 403: errorBody } },
  }, async (req) => {
    if (!abilitiesOf(req.auth!.grants).includes('system.admin')) throw errors.forbidden('仅系统管理员可查看');
    return { data: await service.outboxOverview(opts.db) };
  });
}

/** /api/v1/people/:id/contact-group: 一群 (name, join QR image). */
export async function contactGroupRoutes(app: FastifyInstance, opts: { db: Db }) {
  // The QR arrives as the raw image body (the phone's file input sends the file as is); sharp decides what it is.
  app.addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: contactGroupLimits.qrMaxBytes }, (_req, body, done) => done(null, body));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.GroupCtx => ({ db: opts.db, grants: req.auth!.grants, req });

  r.get('/self/contact-group', {
    // 我的账户 shows it; that page is where an account sets up its second factor first.
    config: { whilePending: ['totp'] },
    schema: { tags: ['people'], summary: '我的一群（当前账号对应的党员本人）', response: { 200: contactGroupItem, ...errorResponses } },
  }, async (req) => service.getContactGroup(ctx(req), service.ownPersonId(ctx(req))));

  r.get('/:id/contact-group', {
    schema: { tags: ['people'], summary: '一群：群名称与入群二维码（未登记时 data 为 null）', params: idParams, response: { 200: contactGroupItem, ...errorResponses } },
  }, async (req) => service.getContactGroup(ctx(req), req.params.id));

  r.get('/:id/contact-group/qr', {
    schema: {
      tags: ['people'], summary: '一群的入群二维码图片（PNG）', params: idParams, querystring: z.object({ v: z.string().max(20).optional() }).strict(),
      response: { 200: z.unknown(), ...errorResponses },
    },
  }, async (req, reply) => {
    const qr = await service.contactGroupQr(ctx(req), req.params.id);
    return reply.header('content-type', qr.mime).header('cache-control', 'private, max-age=3600').send(qr.bytes);
  });

  r.put('/:id/contact-group', {
    schema: { tags: ['people'], summary: '登记或修改一群的群名称（本人或所在支部书记）', params: idParams, body: contactGroupInput, response: { 200: contactGroupItem, 409: errorBody, ...errorResponses } },
  }, async (req) => service.saveContactGroupName(ctx(req), req.params.id, req.body.name));

  r.put('/:id/contact-group/qr', {
    schema: {
      tags: ['people'], summary: '上传入群二维码（图片原样作为请求体，≤ 5 MB；重新编码为 PNG）', params: idParams,
      response: { 200: contactGroupItem, 409: errorBody, 413: errorBody, 415: errorBody, ...errorResponses },
    },
  }, async (req) => {
    if (!Buffer.isBuffer(req.body)) throw errors.validation('请以图片作为请求体上传（Content-Type: image/…）');
    return service.saveContactGroupQr(ctx(req), req.params.id, req.body);
  });

  r.delete('/:id/contact-group', {
    schema: { tags: ['people'], summary: '删除一群（本人或所在支部书记）', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await service.deleteContactGroup(ctx(req), req.params.id);
    return reply.code(204).send(null);
  });
}
