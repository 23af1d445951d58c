import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  errorBody, gridAssign, gridAssignResult, gridCandidates, gridCreate, gridItem, gridLeaderSet, gridList, gridListQuery, gridMerge,
  gridMoveResult, gridRename, gridRetire, orgCode,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import * as service from './grids.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const params = z.object({ code: orgCode }).strict();

/** 网格/片区 of a village: list, create, rename, 网格长, merge, retire, and 划入网格 in bulk. */
export async function gridRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, grants: req.auth!.grants, req });

  r.get('/', { schema: { tags: ['grids'], summary: '村（社区）的网格：网格长、住户/企业商户/人员数（retired=true 含已撤销、已合并的）', querystring: gridListQuery, response: { 200: gridList, ...errorResponses } } },
    async (req) => service.list(ctx(req), req.query.village, req.query.retired === 'true'));
  r.get('/candidates', { schema: { tags: ['grids'], summary: '可任网格长的党员（本村党组织在册党员）', querystring: z.object({ village: orgCode }).strict(), response: { 200: gridCandidates, ...errorResponses } } },
    async (req) => ({ data: await service.candidates(ctx(req), req.query.village) }));
  r.post('/', { schema: { tags: ['grids'], summary: '新建网格（代码自动编为 村代码-Gnn）', body: gridCreate, response: { 201: gridItem, ...errorResponses } } },
    async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body.villageCode, req.body.name) }));
  r.post('/assign', { schema: { tags: ['grids'], summary: '划入网格：把本村的住户、企业商户、人员批量划入一个网格（gridCode=null 为不划入网格；全部成功或全部不变）', body: gridAssign, response: { 200: gridAssignResult, ...errorResponses } } },
    async (req) => ({ data: await service.assign(ctx(req), req.body) }));
  r.post('/:code/rename', { schema: { tags: ['grids'], summary: '网格改名（原名称保留在组织历史中）', params, body: gridRename, response: { 200: gridItem, ...errorResponses } } },
    async (req) => ({ data: await service.rename(ctx(req), req.params.code, req.body.name) }));
  r.post('/:code/leader', { schema: { tags: ['grids'], summary: '设置网格长（personId=null 为清除）', params, body: gridLeaderSet, response: { 200: gridItem, ...errorResponses } } },
    async (req) => ({ data: await service.setLeader(ctx(req), req.params.code, req.body.personId) }));
  r.post('/:code/merge', { schema: { tags: ['grids'], summary: '把本网格并入另一个网格（住户、企业商户、人员随之移入）', params, body: gridMerge, response: { 200: gridMoveResult, ...errorResponses } } },
    async (req) => ({ data: { moved: await service.merge(ctx(req), req.params.code, req.body.intoCode) } }));
  r.post('/:code/retire', { schema: { tags: ['grids'], summary: '撤销网格（仍有住户等时须指定 moveTo：另一网格或 null 不划入网格）', params, body: gridRetire, response: { 200: gridMoveResult, ...errorResponses } } },
    async (req) => ({ data: { moved: await service.retire(ctx(req), req.params.code, req.body.moveTo) } }));
}
