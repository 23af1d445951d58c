import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  batchResult, coverage, coverageQuery, errorBody, linkBatch, linkCreate, linkEnd, linkItem, linkList, linkListQuery,
  linkTransfer, memberList, myLinkCounts, memberListQuery, suggestions, suggestionsBody, targetLoadOrg, targetLoadPut, targetLoadQuery,
  targetLoadView, transferResult, unlinkedList, unlinkedQuery,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { exportRoster } from './links.export.ts';
import * as service from './links.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

function ctxOf(db: Db) {
  return (req: FastifyRequest): service.Ctx => ({ db, grants: req.auth!.grants, req });
}

/** 党员联户: links with history, transfer, batch acceptance of suggestions. */
export async function linkRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);

  r.get('/', { schema: { tags: ['links'], summary: '联户关系（按党员或联系对象；history=true 含已结束的）', querystring: linkListQuery, response: { 200: linkList, ...errorResponses } } },
    async (req) => service.list(ctx(req), req.query));
  r.post('/', { schema: { tags: ['links'], summary: '建立联户关系（已有主联系人时需 replaceReason）', body: linkCreate, response: { 201: linkItem, ...errorResponses } } },
    async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));
  r.get('/export.xlsx', {
    schema: { tags: ['links'], summary: '导出党员联户名册（xlsx：联户名册、未联系对象；不含身份证号和居民电话；记入审计）', querystring: coverageQuery, response: { 200: z.unknown(), ...errorResponses } },
  }, async (req, reply) => {
    const { stream, filename } = await exportRoster(ctx(req), req.query.org);
    return sendXlsx(reply, stream, filename);
  });
  r.post('/:id/end', { schema: { tags: ['links'], summary: '结束联户关系（记录日期与原因）', params: z.object({ id: z.uuid() }).strict(), body: linkEnd, response: { 200: linkItem, ...errorResponses } } },
    async (req) => ({ data: await service.end(ctx(req), req.params.id, req.body) }));
  r.post('/:id/undo', { schema: { tags: ['links'], summary: '撤销刚才的分配（10 分钟内；联户关系以 assignment_undone 结束，保留记录）', params: z.object({ id: z.uuid() }).strict(), response: { 200: linkItem, ...errorResponses } } },
    async (req) => ({ data: await service.undo(ctx(req), req.params.id) }));
  r.get('/mine', { schema: { tags: ['links'], summary: '我联系的：本人当前的联户对象数（住户、企业、商户、班组）', response: { 200: myLinkCounts, 401: errorBody } } },
    async (req) => ({ data: await service.mine(ctx(req)) }));
  r.post('/transfer', { schema: { tags: ['links'], summary: '党员调动/去世：全部联户关系移交给另一名党员', body: linkTransfer, response: { 200: transferResult, ...errorResponses } } },
    async (req) => ({ data: { moved: await service.transfer(ctx(req), req.body) } }));
  r.post('/batch', { schema: { tags: ['links'], summary: '批量建立联户关系（采纳建议，全部成功或全部不变）', body: linkBatch, response: { 201: batchResult, ...errorResponses } } },
    async (req, reply) => reply.code(201).send({ data: { created: await service.batch(ctx(req), req.body) } }));
}

/** Coverage (不落一户): rollups by org, the unlinked list, members with their load, assignment suggestions. */
export async function coverageRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);

  r.get('/', { schema: { tags: ['coverage'], summary: '联户覆盖情况（本级与下级）', querystring: coverageQuery, response: { 200: coverage, ...errorResponses } } },
    async (req) => ({ data: await service.coverage(ctx(req), req.query.org) }));
  r.get('/unlinked', { schema: { tags: ['coverage'], summary: '未联系的住户、企业、商户、班组', querystring: unlinkedQuery, response: { 200: unlinkedList, ...errorResponses } } },
    async (req) => service.unlinked(ctx(req), req.query));
  r.get('/members', { schema: { tags: ['coverage'], summary: '党员及其联户数（低于/达到/超过目标）', querystring: memberListQuery, response: { 200: memberList, ...errorResponses } } },
    async (req) => service.members(ctx(req), req.query));
  r.post('/suggestions', { schema: { tags: ['coverage'], summary: '为未联系住户建议联户党员（不写入）', body: suggestionsBody, response: { 200: suggestions, ...errorResponses } } },
    async (req) => ({ data: await service.suggest(ctx(req), req.body.org) }));
}

/** 目标联户数 (settings): the effective value by org and where it comes from; set or clear an override. */
export async function targetLoadRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);

  r.get('/', { schema: { tags: ['settings'], summary: '目标联户数：本级生效值及来源、下级、范围内的单独设置', querystring: targetLoadQuery, response: { 200: targetLoadView, ...errorResponses } } },
    async (req) => ({ data: await service.targetLoadView(ctx(req), req.query.orgCode) }));
  r.put('/', { schema: { tags: ['settings'], summary: '设置或清除某级组织的目标联户数（重算覆盖情况，记入审计）', body: targetLoadPut, response: { 200: z.object({ data: targetLoadOrg }), ...errorResponses } } },
    async (req) => ({ data: await service.setTargetLoad(ctx(req), req.body) }));
}
