import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cardToken, contactCardRequest, errorBody, linkMap, orgCode, publicCard } from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import * as service from './print.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const codeParams = z.object({ code: orgCode }).strict();
const mapQuery = z.object({ grid: orgCode.optional() }).strict();
// 200 bodies are documents (bytes or SVG text): sent as they are, without a serializer.
const documentResponses = { 200: z.unknown(), ...errorResponses };

function sendFile(reply: FastifyReply, type: string, f: service.PrintFile, inline: boolean) {
  return reply
    .type(type)
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
    .send(f.body);
}

/** 联户示意图 and 联系卡 of a village, under /api/v1/orgs/:code/… beside the org routes. */
export async function printRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, grants: req.auth!.grants, req, publicUrl: opts.config.publicUrl });

  r.get('/:code/link-map.svg', {
    schema: { tags: ['print'], summary: '联户示意图（SVG，与 PDF 同版式，供浏览器显示；grid=网格代码 只看一个网格）', params: codeParams, querystring: mapQuery, response: documentResponses },
  }, async (req, reply) => sendFile(reply, 'image/svg+xml; charset=utf-8', await service.linkMapSvg(ctx(req), req.params.code, req.query.grid), true));

  r.get('/:code/link-map', {
    schema: { tags: ['print'], summary: '联户示意图的内容（JSON：按网格、党员列出联系的住户和企业商户；手机上显示为名单）', params: codeParams, querystring: mapQuery, response: { 200: linkMap, ...errorResponses } },
  }, async (req, reply) => {
    const { content, synthetic } = await service.linkMapContent(ctx(req), req.params.code, req.query.grid);
    return reply.send({ data: { ...content, synthetic } });
  });

  r.get('/:code/link-map.pdf', {
    schema: { tags: ['print'], summary: '联户示意图（PDF：一页放得下用 A4 纵向，否则 A3 横向，按网格分页；grid=网格代码 只印一个网格）', params: codeParams, querystring: mapQuery, response: documentResponses },
  }, async (req, reply) => sendFile(reply, 'application/pdf', await service.linkMapPdf(ctx(req), req.params.code, req.query.grid), false));

  r.post('/:code/contact-cards', {
    schema: {
      tags: ['print'], summary: '打印联系卡（PDF；重新打印即作废旧卡，记入审计）', params: codeParams, body: contactCardRequest, response: documentResponses,
    },
  }, async (req, reply) => sendFile(reply, 'application/pdf', await service.contactCards(ctx(req), req.params.code, req.body), false));
}

/** What a contact card's QR opens, without an account. Rate-limited per address: tokens are unguessable, but cheap to try. */
export async function publicCardRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/cards/:token', {
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['print'], summary: '联系卡二维码：联户党员的联系方式（无需登录）', security: [], params: z.object({ token: cardToken }).strict(), response: { 200: publicCard, 400: errorBody, 404: errorBody, 429: errorBody } },
  }, async (req) => ({ data: await service.publicCard(opts.db, opts.config.keyring, req.params.token) }));
}
