import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { completionQuery, completionView, errorBody, todayQuery, todayView, visitRuleBody, visitRuleDeleted, visitRulePut, visitRulesQuery, visitRulesView } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { onCoverageRefresh } from '../links/links.service.ts';
import { onVisitChange } from '../visits/visits.service.ts';
import * as service from './rules.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * 走访规则 (/visit-rules), the member's 今天 (/today) and rule completion per level (/visit-completion). Registers the
 * visits listener that keeps completion right as the visits' changes are drained. The listener set is the visits module's and
 * holds this one function once, however many apps a process builds (tests): registering per app would count twice.
 */
export async function rulesRoutes(app: FastifyInstance, opts: { db: Db }) {
  const off = onVisitChange(service.onVisits);
  // Link and registry writes: who is due a visit follows the links (recomputed for the villages touched, in their transaction).
  const offCoverage = onCoverageRefresh(service.refreshCompletion);
  app.addHook('onClose', async () => { off(); offCoverage(); });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, grants: req.auth!.grants, req });
  const tags = ['visit-rules'];

  r.get('/visit-rules', { schema: { tags, summary: '走访规则：某级组织生效的规则及其来源', querystring: visitRulesQuery, response: { 200: visitRulesView, ...errorResponses } } },
    async (req) => ({ data: await service.rulesView(ctx(req), req.query.org) }));
  r.put('/visit-rules', { schema: { tags, summary: '设置本级的走访规则（覆盖上级；记入审计）', body: visitRulePut, response: { 200: visitRuleBody, ...errorResponses } } },
    async (req) => ({ data: await service.putRule(ctx(req), req.body) }));
  r.delete('/visit-rules/:id', { schema: { tags, summary: '删除本级的走访规则（恢复继承上级；记入审计）', params: z.object({ id: z.uuid() }).strict(), response: { 200: visitRuleDeleted, ...errorResponses } } },
    async (req) => ({ data: { effective: await service.deleteRule(ctx(req), req.params.id) } }));
  r.get('/today', { schema: { tags, summary: '今天：我联系的对象中待走访、已逾期的（困难群众在前），在外人员最近联系时间', querystring: todayQuery, response: { 200: todayView, ...errorResponses } } },
    async (req) => ({ data: await service.today(ctx(req), req.query.person) }));
  r.get('/visit-completion', { schema: { tags, summary: '走访规则完成率：本级与下级（镇、村、党员），与上月比较', querystring: completionQuery, response: { 200: completionView, ...errorResponses } } },
    async (req) => ({ data: await service.completion(ctx(req), req.query) }));
}
