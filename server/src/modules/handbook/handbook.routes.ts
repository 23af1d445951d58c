import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, handbookBody, handbookPdfQuery, handbookQuery } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import * as service from './handbook.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
/** `me`: the caller's own person (a member's 我的工作手册 without knowing their id). */
const params = z.object({ id: z.union([z.uuid(), z.literal('me')]) }).strict();

/** 工作手册 under /api/v1/people/:id/… (or /people/me/…): the member themself, or the branch's secretary, the town and the office in scope. */
export async function handbookRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, grants: req.auth!.grants, req });

  r.get('/:id/handbook', {
    schema: {
      tags: ['handbook'], summary: '党员工作手册：一段时间的走访记录和反映事项（新的在前，分页）、现联系的住户和企业商户、概况（from/to 缺省为本月）',
      params, querystring: handbookQuery, response: { 200: handbookBody, ...errorResponses },
    },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id, req.query) }));

  r.get('/:id/handbook.pdf', {
    schema: {
      tags: ['handbook'], summary: '打印党员工作手册（PDF，A4；month=YYYY-MM 一个月，或 year=YYYY 一年；记入审计）',
      params, querystring: handbookPdfQuery, response: { 200: z.unknown(), ...errorResponses },
    },
  }, async (req, reply) => {
    const f = await service.pdf(ctx(req), req.params.id, req.query);
    return reply.type('application/pdf')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
      .send(f.body);
  });
}
