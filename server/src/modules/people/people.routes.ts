import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  errorBody, personCreate, personExportQuery, personItem, personLeaveBody, personLeaveResult, personList, personListQuery,
  personRevealBody, personRevealResult, personTransferBody, personUpdate,
} from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { exportPeople } from './people.export.ts';
import * as service from './people.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();

/** 党员名册: members and helpers of a branch, a town or the zone (roster.read / roster.write). */
export async function peopleRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.get('/', {
    schema: { tags: ['people'], summary: '党员名册（党员或志愿者等；搜索姓名、拼音首字母、手机尾号；筛选、排序）', querystring: personListQuery, response: { 200: personList, ...errorResponses } },
  }, async (req) => service.list(ctx(req), req.query));

  r.get('/export', {
    schema: {
      tags: ['people'], summary: '导出党员名册（xlsx，流式；手机号码脱敏；记入审计）', querystring: personExportQuery,
      // 200 is an xlsx byte stream: Fastify sends streams as they are, without a serializer.
      response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req, reply) => {
    const { stream, filename } = await exportPeople(ctx(req), req.query);
    return sendXlsx(reply, stream, filename);
  });

  r.post('/', {
    schema: { tags: ['people'], summary: '登记党员或志愿者等', body: personCreate, response: { 201: personItem, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));

  r.get('/:id', {
    schema: { tags: ['people'], summary: '人员详情（手机号码脱敏）', params: idParams, response: { 200: personItem, ...errorResponses } },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id) }));

  r.patch('/:id', {
    schema: { tags: ['people'], summary: '修改人员信息', params: idParams, body: personUpdate, response: { 200: personItem, ...errorResponses } },
  }, async (req) => ({ data: await service.update(ctx(req), req.params.id, req.body) }));

  r.post('/:id/transfer', {
    schema: { tags: ['people'], summary: '转出到其他支部（联户关系移交给原支部的党员或结束；记入审计）', params: idParams, body: personTransferBody, response: { 200: personItem, ...errorResponses } },
  }, async (req) => ({ data: await service.transfer(ctx(req), req.params.id, req.body) }));

  r.post('/:id/leave', {
    schema: { tags: ['people'], summary: '记录去世、迁出或除名（联户关系结束，账号停用；保留记录，记入审计）', params: idParams, body: personLeaveBody, response: { 200: personLeaveResult, ...errorResponses } },
  }, async (req) => ({ data: await service.leave(ctx(req), req.params.id, req.body) }));

  r.post('/:id/reveal', {
    schema: { tags: ['people'], summary: '查看完整手机号码（需填写原因，记入审计）', params: idParams, body: personRevealBody, response: { 200: personRevealResult, ...errorResponses } },
  }, async (req) => ({ data: { field: 'phone' as const, value: await service.reveal(ctx(req), req.params.id, req.body.reason) } }));
}
