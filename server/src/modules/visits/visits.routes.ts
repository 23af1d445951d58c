import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  VISIT_PHOTOS_MAX, VISIT_PHOTO_BYTES_MAX, errorBody, itemCategoriesPut, itemCategoryList, raisedItemList, raisedItemListQuery,
  visitBody, visitInput, visitList, visitListQuery, visitPatch, visitPhotoResult, visitSyncBody, visitSyncResult,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { PHOTO_TYPES, reencodePhoto } from './visits.photos.ts';
import * as service from './visits.service.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();
const photoParams = z.object({ id: z.uuid('ID 格式不正确'), seq: z.coerce.number().int().min(1).max(VISIT_PHOTOS_MAX) }).strict();
// A full queue of 50 visits with long notes and items is well above the API's usual 64 KiB.
const SYNC_BODY_LIMIT = 1024 * 1024;
const DRAIN_EVERY_MS = 1000;

const ctxOf = (db: Db) => (req: FastifyRequest): service.Ctx => ({ db, auth: req.auth!, req });

/** 走访: record (the phone, 代录), a phone's offline queue, photos, read, correct. */
export async function visitRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);

  // Campaign and completion rollups follow the visits within about a second even when nobody reads them (reads drain
  // first anyway). Each server copy ticks; a tick that finds another copy draining leaves it (one drain at a time).
  let draining: Promise<unknown> | null = null;
  const tick = setInterval(() => {
    draining ??= service.drainVisitChanges(opts.db, { wait: false })
      .catch((e: unknown) => app.log.error({ err: e }, 'draining visit changes failed (retried next second)'))
      .finally(() => { draining = null; });
  }, DRAIN_EVERY_MS);
  tick.unref();
  app.addHook('onClose', async () => { clearInterval(tick); await draining; });

  // Photos arrive as the image itself; the bytes are re-encoded before anything is stored.
  app.addContentTypeParser([...PHOTO_TYPES], { parseAs: 'buffer', bodyLimit: VISIT_PHOTO_BYTES_MAX }, (_req, body, done) => done(null, body));

  r.post('/', {
    schema: {
      tags: ['visits'], summary: '记录走访（id 由客户端生成：同一 id 同一内容返回原记录 200，内容不同 409；personId 为他人时为代录）',
      body: visitInput, response: { 200: visitBody, 201: visitBody, ...errorResponses },
    },
  }, async (req, reply) => {
    const out = await service.record(ctx(req), req.body);
    return reply.code(out.status === 'created' ? 201 : 200).send({ data: out.visit });
  });

  r.post('/sync', {
    bodyLimit: SYNC_BODY_LIMIT,
    schema: {
      tags: ['visits'], summary: '同步离线走访（最多 50 条，逐条保存：created / duplicate / refused，一条被拒不影响其他）',
      body: visitSyncBody, response: { 200: visitSyncResult, ...errorResponses },
    },
  }, async (req) => ({ data: await service.sync(ctx(req), req.body.visits) }));

  r.get('/', {
    schema: {
      tags: ['visits'], summary: '走访记录（按住户、企业商户或人员；日期范围；按时间倒序分页）',
      querystring: visitListQuery, response: { 200: visitList, ...errorResponses },
    },
  }, async (req) => service.list(ctx(req), req.query));

  r.get('/:id', {
    schema: { tags: ['visits'], summary: '走访详情', params: idParams, response: { 200: visitBody, ...errorResponses } },
  }, async (req) => ({ data: await service.get(ctx(req), req.params.id) }));

  r.patch('/:id', {
    schema: {
      tags: ['visits'], summary: '更正走访（本人 48 小时内，之后由支部书记；记入审计）',
      params: idParams, body: visitPatch, response: { 200: visitBody, ...errorResponses },
    },
  }, async (req) => ({ data: await service.correct(ctx(req), req.params.id, req.body) }));

  r.put('/:id/photos/:seq', {
    bodyLimit: VISIT_PHOTO_BYTES_MAX,
    schema: {
      tags: ['visits'],
      summary: '上传走访照片（请求体为图片本身：JPEG/PNG/WebP/HEIC，≤ 8 MB；重新编码为 JPEG ≤ 1600 像素，去除 EXIF 与位置信息；同一序号重复上传返回原照片）',
      params: photoParams, response: { 200: visitPhotoResult, 201: visitPhotoResult, 413: errorBody, 415: errorBody, ...errorResponses },
    },
  }, async (req, reply) => {
    await service.visitForPhoto(ctx(req), req.params.id, true);
    // Fastify parses text and JSON itself: anything that did not come through the image parser is not a photo.
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(PHOTO_TYPES as readonly string[]).includes(type)) throw errors.unsupportedMediaType('请上传 JPEG、PNG、WebP 或 HEIC 图片');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw errors.validation('请上传图片');
    const photo = await reencodePhoto(req.body);
    const out = await service.addPhoto(ctx(req), req.params.id, req.params.seq, photo);
    return reply.code(out.created ? 201 : 200).send({ data: out.photo });
  });

  r.delete('/:id/photos/:seq', {
    schema: {
      tags: ['visits'], summary: '删除走访照片（更正：本人 48 小时内，之后由支部书记；记入审计）', params: photoParams,
      response: { 200: visitBody, ...errorResponses },
    },
  }, async (req) => ({ data: await service.removePhoto(ctx(req), req.params.id, req.params.seq) }));

  r.get('/:id/photos/:seq', {
    schema: {
      tags: ['visits'], summary: '走访照片（JPEG）', params: photoParams,
      // 200 is the JPEG's bytes, sent as they are.
      response: { 200: z.unknown(), ...errorResponses },
    },
  }, async (req, reply) => {
    const p = await service.photo(ctx(req), req.params.id, req.params.seq);
    return reply.type(p.mime).send(p.bytes);
  });
}

/** 反映事项 raised during visits, by household, business or person. */
export async function raisedItemRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);
  r.get('/', {
    schema: {
      tags: ['visits'], summary: '反映事项（按住户、企业商户或人员；按状态）',
      querystring: raisedItemListQuery, response: { 200: raisedItemList, ...errorResponses },
    },
  }, async (req) => ({ data: await service.listRaisedItems(ctx(req), req.query) }));
}

/** 反映事项类别: the zone's configurable list. */
export async function itemCategoryRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = ctxOf(opts.db);
  r.get('/', {
    schema: { tags: ['visits'], summary: '反映事项类别', response: { 200: itemCategoryList, ...errorResponses } },
  }, async () => ({ data: await service.categories(opts.db) }));
  r.put('/', {
    schema: {
      tags: ['visits'], summary: '设置反映事项类别（按给出的顺序；未列出的类别停用，不删除；记入审计）',
      body: itemCategoriesPut, response: { 200: itemCategoryList, ...errorResponses },
    },
  }, async (req) => ({ data: await service.putCategories(ctx(req), req.body) }));
}
