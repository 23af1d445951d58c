import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  downloadTokenResult, errorBody, householdCreate, householdExportQuery, householdFullExportBody, type HouseholdFullExportBody, inputText, householdItem, householdList, householdListQuery, householdRemoveBody, householdRemoveResult,
  householdUpdate, isoDate, residentInput,
  residentUpdate, revealBody, revealResult, tagAdminItem, tagAdminList, tagCreate, tagList, tagUpdate,
} from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { paramsOfDownload, issueDownloadToken } from '../../lib/download-tokens.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { exportHouseholds, exportScope } from './households.export.ts';
import * as service from './households.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();

export async function householdRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.get('/', {
    schema: { tags: ['households'], summary: '住户列表（按姓名、拼音首字母、地址、标签、网格、在外筛选）', querystring: householdListQuery, response: { 200: householdList, ...errorResponses } },
  }, async (req) => service.list(ctx(req), req.query));

  r.get('/export', {
    schema: {
      tags: ['households'],
      summary: '导出居民名单（xlsx，流式；脱敏；带下载令牌时为完整号码，均记入审计）',
      querystring: householdExportQuery,
      // 200 is an xlsx byte stream: Fastify sends streams as they are, without a serializer.
      response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req, reply) => {
    const { token, ...filters } = req.query;
    const full = token ? paramsOfDownload<HouseholdFullExportBody>(req, 'households', token, filters) : null;
    const { reason, ...q }: Partial<HouseholdFullExportBody> = full ?? filters;
    const { stream, filename } = await exportHouseholds(ctx(req), q, reason ?? null);
    return sendXlsx(reply, stream, filename);
  });

  r.post('/export/full', {
    schema: {
      tags: ['households'],
      summary: '申请导出完整身份证号（需查看权限和原因；返回 60 秒内有效、只能用一次的下载令牌）',
      body: householdFullExportBody,
      response: { 200: downloadTokenResult, ...errorResponses },
    },
  }, async (req) => {
    const { reason, ...q } = req.body;
    await exportScope(ctx(req), q, reason);
    return { data: issueDownloadToken(req.auth!.session.id, 'households', req.body) };
  });

  r.post('/', {
    schema: { tags: ['households'], summary: '登记住户及其成员', body: householdCreate, response: { 201: householdItem, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));

  r.get('/:id', {
    schema: { tags: ['households'], summary: '住户详情（身份证号、电话脱敏）', params: idParams, response: { 200: householdItem, ...errorResponses } },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id) }));

  r.patch('/:id', {
    schema: { tags: ['households'], summary: '修改住户（地址、标签、网格）', params: idParams, body: householdUpdate, response: { 200: householdItem, ...errorResponses } },
  }, async (req) => ({ data: await service.update(ctx(req), req.params.id, req.body) }));

  r.post('/:id/remove', {
    schema: { tags: ['households'], summary: '注销住户（全户迁出等；成员记为迁出，联户关系结束，联系卡作废；保留记录，记入审计）', params: idParams, body: householdRemoveBody, response: { 200: householdRemoveResult, ...errorResponses } },
  }, async (req) => ({ data: await service.remove(ctx(req), req.params.id, req.body.on, req.body.reason) }));

  r.post('/:id/residents', {
    schema: { tags: ['households'], summary: '添加家庭成员', params: idParams, body: residentInput, response: { 201: householdItem, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send({ data: await service.addResident(ctx(req), req.params.id, req.body) }));
}

export async function residentRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.patch('/:id', {
    schema: { tags: ['households'], summary: '修改家庭成员', params: idParams, body: residentUpdate, response: { 200: householdItem, ...errorResponses } },
  }, async (req) => ({ data: await service.updateResident(ctx(req), req.params.id, req.body) }));

  r.post('/:id/leave', {
    schema: {
      tags: ['households'], summary: '成员迁出或去世（保留记录）', params: idParams,
      body: z.object({ on: isoDate, reason: inputText(1, 100) }).strict(),
      response: { 200: householdItem, ...errorResponses },
    },
  }, async (req) => ({ data: await service.leaveResident(ctx(req), req.params.id, req.body.on, req.body.reason) }));

  r.post('/:id/reveal', {
    schema: { tags: ['households'], summary: '查看完整身份证号或电话（需填写原因，记入审计）', params: idParams, body: revealBody, response: { 200: revealResult, ...errorResponses } },
  }, async (req) => ({ data: { field: req.body.field, value: await service.reveal(ctx(req), req.params.id, req.body.field, req.body.reason) } }));
}

export async function tagRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  r.get('/', { schema: { tags: ['households'], summary: '困难群体/特殊群体标签字典（可选用的）', response: { 200: tagList, 401: errorBody } } },
    async () => ({ data: await service.listTags(opts.db) }));

  // Dictionary upkeep (连心办, admin): retired tags too, with usage; add, rename, aliases, retire, delete if never used.
  const ctx = (req: FastifyRequest): service.TagCtx => ({ db: opts.db, grants: req.auth!.grants, req });
  const codeParams = z.object({ code: inputText(1, 20) }).strict();
  r.get('/dictionary', { schema: { tags: ['households'], summary: '标签字典维护：全部标签（含已停用）及使用户数', response: { 200: tagAdminList, ...errorResponses } } },
    async (req) => service.tagsForAdmin(ctx(req)));
  r.post('/', { schema: { tags: ['households'], summary: '新增标签（代码、名称、别名不得与其他标签重复；记入审计）', body: tagCreate, response: { 201: tagAdminItem, ...errorResponses } } },
    async (req, reply) => reply.code(201).send({ data: await service.createTag(ctx(req), req.body) }));
  r.patch('/:code', { schema: { tags: ['households'], summary: '修改标签：改名、别名、停用或恢复（记入审计）', params: codeParams, body: tagUpdate, response: { 200: tagAdminItem, ...errorResponses } } },
    async (req) => ({ data: await service.updateTag(ctx(req), req.params.code, req.body) }));
  r.delete('/:code', { schema: { tags: ['households'], summary: '删除从未使用过的标签（已使用的只能停用；记入审计）', params: codeParams, response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => { await service.deleteTag(ctx(req), req.params.code); return reply.code(204).send(null); });
}
