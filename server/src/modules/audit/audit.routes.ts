import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessHistoryQuery, auditCatalogue, auditExportBody, auditList, auditQuery, errorBody } from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { exportEvents } from './audit.export.ts';
import * as service from './audit.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

export async function auditRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.get('/', {
    schema: {
      tags: ['audit'],
      summary: '审计查询（按人员、操作、对象、时间、IP 筛选，最新在前；连心办和系统管理员）',
      querystring: auditQuery,
      response: { 200: auditList, ...errorResponses },
    },
  }, async (req) => service.search(ctx(req), req.query));

  r.get('/catalogue', {
    schema: { tags: ['audit'], summary: '审计查询可选的操作类型和分组', response: { 200: auditCatalogue, ...errorResponses } },
  }, async (req) => ({ data: service.catalogue(ctx(req)) }));

  r.post('/export', {
    schema: {
      tags: ['audit'],
      summary: '导出筛选后的审计记录（xlsx，流式；本身记入审计）',
      body: auditExportBody,
      // 200 is an xlsx byte stream: Fastify sends streams as they are, without a serializer.
      response: { 200: z.unknown(), ...errorResponses },
    },
  }, async (req, reply) => {
    const { stream, filename } = await exportEvents(ctx(req), req.body);
    return sendXlsx(reply, stream, filename);
  });

  r.get('/households/:id', {
    schema: {
      tags: ['audit'],
      summary: '住户的访问记录：谁查看（完整号码）、导出、修改了此住户及其居民，何时、因何',
      params: z.object({ id: z.uuid('ID 格式不正确') }).strict(),
      querystring: accessHistoryQuery,
      response: { 200: auditList, ...errorResponses },
    },
  }, async (req) => service.accessHistory(ctx(req), req.params.id, req.query));
}
