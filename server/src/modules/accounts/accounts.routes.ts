import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountCreate, accountDisableBody, accountList, accountListQuery, accountPeople, accountPeopleQuery, accountSessionsEnded, accountUpdate,
  accountWithPassword, bulkOpenBody, errorBody, grantableRoles, managedAccountBody, resetPrintBody, slipBatch, slipQuery,
} from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import * as service from './accounts.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();
const noBody = z.object({}).strict().optional();

/** /api/v1/accounts: account administration inside the caller's scope (accounts.policy.ts). */
export async function accountRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req, publicUrl: opts.config.publicUrl });

  r.get('/', {
    schema: { tags: ['accounts'], summary: '账号列表（管理范围内；按组织、角色、状态、用户名或姓名筛选）', querystring: accountListQuery, response: { 200: accountList, ...errorResponses } },
  }, async (req) => service.list(ctx(req), req.query));

  r.get('/grantable', {
    schema: { tags: ['accounts'], summary: '当前用户可以授予的角色及其可绑定的组织', response: { 200: grantableRoles, ...errorResponses } },
  }, async (req) => ({ data: await service.grantable(ctx(req)) }));

  r.get('/people', {
    schema: { tags: ['accounts'], summary: '开通账号时选择人员（管理范围内的党员和志愿者，附建议用户名）', querystring: accountPeopleQuery, response: { 200: accountPeople, ...errorResponses } },
  }, async (req) => ({ data: await service.people(ctx(req), req.query.q, req.query.org) }));

  r.post('/', {
    schema: { tags: ['accounts'], summary: '开通账号（返回一次性密码，仅显示这一次）', body: accountCreate, response: { 201: accountWithPassword, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));

  r.post('/bulk-open', {
    schema: {
      tags: ['accounts'], summary: '为本支部（本镇）党员开通账号（返回开通通知单的一次性下载令牌）', body: bulkOpenBody, response: { 200: slipBatch, ...errorResponses },
    },
  }, async (req) => ({ data: await service.bulkOpen(ctx(req), req.body.orgCode) }));

  r.post('/reset-print', {
    schema: { tags: ['accounts'], summary: '批量重置密码并打印通知单（返回一次性下载令牌）', body: resetPrintBody, response: { 200: slipBatch, ...errorResponses } },
  }, async (req) => ({ data: await service.resetAndPrint(ctx(req), req.body.ids) }));

  r.get('/slips', {
    schema: {
      tags: ['accounts'], summary: '下载开通通知单 PDF（令牌只能用一次，60 秒内有效）', querystring: slipQuery,
      // 200 is the PDF's bytes, sent without a serializer.
      response: { 200: z.unknown(), ...errorResponses },
    },
  }, async (req, reply) => {
    const f = service.slips(req, req.query.token);
    return reply.type('application/pdf')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
      .send(f.pdf);
  });

  r.get('/:id', {
    schema: { tags: ['accounts'], summary: '账号详情', params: idParams, response: { 200: managedAccountBody, ...errorResponses } },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id) }));

  r.patch('/:id', {
    schema: { tags: ['accounts'], summary: '修改显示名称和角色', params: idParams, body: accountUpdate, response: { 200: managedAccountBody, ...errorResponses } },
  }, async (req) => ({ data: await service.update(ctx(req), req.params.id, req.body) }));

  r.post('/:id/disable', {
    schema: { tags: ['accounts'], summary: '停用账号（立即结束其全部会话）', params: idParams, body: accountDisableBody.optional(), response: { 200: managedAccountBody, ...errorResponses } },
  }, async (req) => ({ data: await service.setDisabled(ctx(req), req.params.id, true, req.body?.reason) }));

  r.post('/:id/enable', {
    schema: { tags: ['accounts'], summary: '启用账号', params: idParams, body: noBody, response: { 200: managedAccountBody, ...errorResponses } },
  }, async (req) => ({ data: await service.setDisabled(ctx(req), req.params.id, false) }));

  r.post('/:id/unlock', {
    schema: { tags: ['accounts'], summary: '解锁（清除登录失败计数）', params: idParams, body: noBody, response: { 200: managedAccountBody, ...errorResponses } },
  }, async (req) => ({ data: await service.unlock(ctx(req), req.params.id) }));

  r.post('/:id/reset-password', {
    schema: { tags: ['accounts'], summary: '重置密码（返回一次性密码，仅显示这一次；结束其全部会话）', params: idParams, body: noBody, response: { 200: accountWithPassword, ...errorResponses } },
  }, async (req) => ({ data: await service.resetPassword(ctx(req), req.params.id) }));

  r.post('/:id/end-sessions', {
    schema: { tags: ['accounts'], summary: '结束该账号的全部会话', params: idParams, body: noBody, response: { 200: accountSessionsEnded, ...errorResponses } },
  }, async (req) => ({ data: await service.endAllSessions(ctx(req), req.params.id) }));
}
