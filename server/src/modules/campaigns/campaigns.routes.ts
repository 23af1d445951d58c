import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  campaignCreate, campaignItem, campaignList, campaignListQuery, campaignPending, campaignPendingExportQuery, campaignPendingQuery,
  campaignProgress, campaignProgressQuery, errorBody,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { sendXlsx } from '../../lib/xlsx-export.ts';
import { onVisitChange } from '../visits/visits.service.ts';
import { exportPending } from './campaigns.export.ts';
import * as service from './campaigns.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const params = z.object({ id: z.string().max(100) }).strict();

/** 集中走访: create, list, get, close; progress drill-down with the previous campaign; the pending list and its xlsx. */
export async function campaignRoutes(app: FastifyInstance, opts: { db: Db }) {
  // Progress moves as the visits' changes are drained (one module-level function: registering twice is a no-op).
  onVisitChange(service.onVisits);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, grants: req.auth!.grants, req });

  r.get('/', { schema: { tags: ['campaigns'], summary: '走访活动列表（本范围内的，及覆盖本范围的）', querystring: campaignListQuery, response: { 200: campaignList, ...errorResponses } } },
    async (req) => service.list(ctx(req), req.query.status));
  r.post('/', { schema: { tags: ['campaigns'], summary: '发起集中走访（走访对象在发起时确定）', body: campaignCreate, response: { 201: campaignItem, ...errorResponses } } },
    async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }));
  r.get('/:id', { schema: { tags: ['campaigns'], summary: '走访活动', params, response: { 200: campaignItem, ...errorResponses } } },
    async (req) => ({ data: await service.get(ctx(req), req.params.id) }));
  r.post('/:id/close', { schema: { tags: ['campaigns'], summary: '结束走访活动（进度不再变化）', params, response: { 200: campaignItem, ...errorResponses } } },
    async (req) => ({ data: await service.close(ctx(req), req.params.id) }));
  r.get('/:id/progress', { schema: { tags: ['campaigns'], summary: '走访进度：下级组织（或本村党员）的已走访户数、在外人员已联系数，及与上一次走访活动的比较', params, querystring: campaignProgressQuery, response: { 200: campaignProgress, ...errorResponses } } },
    async (req) => ({ data: await service.progress(ctx(req), req.params.id, req.query.org) }));
  r.get('/:id/pending', { schema: { tags: ['campaigns'], summary: '未走访名单（按组织或联户党员）', params, querystring: campaignPendingQuery, response: { 200: campaignPending, ...errorResponses } } },
    async (req) => service.pending(ctx(req), req.params.id, req.query));
  r.get('/:id/pending/export', { schema: { tags: ['campaigns'], summary: '导出未走访名单（xlsx）', params, querystring: campaignPendingExportQuery, // 200 is an xlsx byte stream: Fastify sends streams as they are, without a serializer.
    response: { 200: z.unknown(), ...errorResponses } } },
    async (req, reply) => {
      const { stream, filename } = await exportPending(ctx(req), req.params.id, req.query);
      return sendXlsx(reply, stream, filename);
    });
}
