import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  businessCreate, businessExportQuery, businessFullExportBody, type BusinessFullExportBody, downloadTokenResult, businessItem, businessList, businessListQuery, businessRemoveBody, businessRemoveResult, businessRevealBody,
  businessRevealResult, businessUpdate, errorBody,
} from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { issueDownloadToken, paramsOfDownload } from '../../lib/download-tokens.ts';
import { exportBusinesses, exportScope } from './businesses.export.ts';
import * as service from './businesses.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();

export async function businessRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.get('/', {
    schema: { tags: ['businesses'], summary: '企业、商户、班组列表（按名称、拼音首字母、地址、信用代码、类型筛选）', querystring: businessListQuery, response: { 200: businessList, ...errorResponses } },
  }, async (req) => service.list(ctx(req), req.query));

  r.get('/export', {
    schema: {
      tags: ['businesses'],
      summary: '导出企业商户名单（xlsx，流式；联系电话脱敏；带下载令牌时为完整号码，均记入审计）',
      querystring: businessExportQuery,
      // 200 is an xlsx byte stream: Fastify sends streams as they are, without a serializer.
      response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req, reply) => {
    const { token, ...filters } = req.query;
    const full = token ? paramsOfDownload<BusinessFullExportBody>(req, 'businesses', token, filters) : null;
    const { reason, ...q }: Partial<BusinessFullExportBody> = full ?? filters;
    const { stream, filename } = await exportBusinesses(ctx(req), q, reason ?? null);
    return sendXlsx(reply, stream, filename);
  });

  r.post('/export/full', {
    schema: {
      tags: ['businesses'],
      summary: '申请导出完整联系电话（需查看权限和原因；返回 60 秒内有效、只能用一次的下载令牌）',
      body: businessFullExportBody,
      response: { 200: downloadTokenResult, ...errorResponses },
    },
  }, async (req) => {
    const { reason, ...q } = req.body;
    await exportScope(ctx(req), q, reason);
    return { data: issueDownloadToken(req.auth!.session.id, 'businesses', req.body) };
  });

  r.post('/', {
    schema: { tags: ['businesses'], summary: '登记企业、商户或班组', body: businessCreate, response: { 201: businessItem, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));

  r.get('/:id', {
    schema: { tags: ['businesses'], summary: '企业（商户、班组）详情（联系电话脱敏）', params: idParams, response: { 200: businessItem, ...errorResponses } },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id) }));

  r.patch('/:id', {
    schema: { tags: ['businesses'], summary: '修改企业（商户、班组）', params: idParams, body: businessUpdate, response: { 200: businessItem, ...errorResponses } },
  }, async (req) => ({ data: await service.update(ctx(req), req.params.id, req.body) }));

  r.post('/:id/remove', {
    schema: { tags: ['businesses'], summary: '注销（保留记录；企业的班组一并注销）', params: idParams, body: businessRemoveBody, response: { 200: businessRemoveResult, ...errorResponses } },
  }, async (req) => ({ data: { removedIds: await service.remove(ctx(req), req.params.id, req.body.reason) } }));

  r.post('/:id/reveal', {
    schema: { tags: ['businesses'], summary: '查看完整联系电话（需填写原因，记入审计）', params: idParams, body: businessRevealBody, response: { 200: businessRevealResult, ...errorResponses } },
  }, async (req) => ({ data: { field: req.body.field, value: await service.reveal(ctx(req), req.params.id, req.body.field, req.body.reason) } }));
}
