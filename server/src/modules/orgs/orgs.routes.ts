import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, orgCode, orgItem, orgList, orgListQuery, restructureBody, restructurePreview } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import * as service from './orgs.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export async function orgRoutes(app: FastifyInstance, opts: { db: Db }) {
  const { db } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);

  r.get('/', {
    schema: {
      tags: ['orgs'],
      summary: '组织列表：parent=下级；q=按名称或拼音首字母搜索；都不给=当前用户范围的根',
      querystring: orgListQuery,
      response: { 200: orgList, ...errorResponses },
    },
  }, async (req) => service.listOrgs(db, req.auth!.grants, req.query));

  r.get('/:code', {
    schema: {
      tags: ['orgs'],
      summary: '组织详情（范围之外返回 404）',
      params: z.object({ code: orgCode }).strict(),
      response: { 200: orgItem, ...errorResponses },
    },
  }, async (req) => ({ data: await service.getOrg(db, req.auth!.grants, req.params.code) }));

  const codeParams = z.object({ code: orgCode }).strict();
  r.post('/:code/restructure/preview', {
    schema: { tags: ['orgs'], summary: '组织调整预览：改名、移动、合并将改变什么（不写入；连心办、系统管理员）', params: codeParams, body: restructureBody, response: { 200: restructurePreview, ...errorResponses } },
  }, async (req) => ({ data: await service.previewRestructure(db, req.auth!.grants, req.params.code, req.body) }));
  r.post('/:code/restructure/apply', {
    schema: { tags: ['orgs'], summary: '执行组织调整（一个事务，保留历史，重算覆盖情况，记入审计）', params: codeParams, body: restructureBody, response: { 200: restructurePreview, ...errorResponses } },
  }, async (req) => ({ data: await service.applyRestructure(db, req, req.params.code, req.body) }));
}
