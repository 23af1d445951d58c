import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody, searchQuery, searchResult } from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import * as service from './search.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody };

export async function searchRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req });

  r.get('/', {
    schema: {
      tags: ['search'],
      summary: '综合搜索：组织、住户（户主或任一家庭成员）、企业商户、党员；按姓名、拼音首字母、地址、电话尾号（4 位），按类别分组，只含当前角色可见的类别',
      querystring: searchQuery,
      response: { 200: searchResult, ...errorResponses },
    },
  }, async (req) => ({ data: await service.search(ctx(req), req.query) }));
}
