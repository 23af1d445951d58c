import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  errorBody, homeAccountsBody, homeBreakdownBody, homeDepartmentBody, homeImportsBody, homeMemberLoadsBody,
  homeMembersWithoutAccountsBody, homeMyLinksBody, homeOrgQuery, homeUnlinkedBody,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import * as service from './home.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/**
 * 工作台: one endpoint per card of the role homes (contracts/src/home.ts), so each card loads, fails and grows alone.
 * `?org=` narrows to an org inside the caller's scope; without it, the caller's own.
 */
export async function homeRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, grants: req.auth!.grants, req });
  const tags = ['home'];

  r.get('/unlinked', { schema: { tags, summary: '工作台：未联系对象（按类别，来自覆盖汇总）', querystring: homeOrgQuery, response: { 200: homeUnlinkedBody, ...errorResponses } } },
    async (req) => ({ data: await service.unlinked(ctx(req), req.query.org) }));
  r.get('/member-loads', { schema: { tags, summary: '工作台：联户数超出或不足目标的党员', querystring: homeOrgQuery, response: { 200: homeMemberLoadsBody, ...errorResponses } } },
    async (req) => ({ data: await service.memberLoads(ctx(req), req.query.org) }));
  r.get('/members-without-accounts', { schema: { tags, summary: '工作台：尚未开通账号的在册党员', querystring: homeOrgQuery, response: { 200: homeMembersWithoutAccountsBody, ...errorResponses } } },
    async (req) => ({ data: await service.membersWithoutAccounts(ctx(req), req.query.org) }));
  r.get('/imports', { schema: { tags, summary: '工作台：等待中和失败未重做的导入', querystring: homeOrgQuery, response: { 200: homeImportsBody, ...errorResponses } } },
    async (req) => ({ data: await service.importsCard(ctx(req), req.query.org) }));
  r.get('/breakdown', { schema: { tags, summary: '工作台：各村（社区）或各镇（街道）情况，问题多的在前', querystring: homeOrgQuery, response: { 200: homeBreakdownBody, ...errorResponses } } },
    async (req) => ({ data: await service.breakdown(ctx(req), req.query.org) }));
  r.get('/my-links', { schema: { tags, summary: '工作台：我联系的住户和企业商户', response: { 200: homeMyLinksBody, ...errorResponses } } },
    async (req) => ({ data: await service.myLinks(ctx(req)) }));
  r.get('/department', { schema: { tags, summary: '工作台：本部门信息', response: { 200: homeDepartmentBody, ...errorResponses } } },
    async (req) => ({ data: await service.department(ctx(req)) }));
  r.get('/accounts', { schema: { tags, summary: '工作台：账号概况（仅计数）', response: { 200: homeAccountsBody, ...errorResponses } } },
    async (req) => ({ data: await service.accounts(ctx(req)) }));
}
