import { errorBody, importJobItem, inputText, orgCode, retentionPut, retentionView } from '@lianxin/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { assertCanImport } from './imports.policy.ts';
import * as service from './imports.service.ts';
import { receiveUpload, type Upload } from './imports.upload.ts';
import { XLSX_TYPE } from './imports.limits.ts';
import { registryKinds } from './kinds/index.ts';
import { kindTemplate } from './kinds/run.ts';

const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 413: errorBody };
const idParams = z.object({ id: z.uuid('ID 格式不正确') }).strict();
const templateQuery = z.object({ org: orgCode.optional() }).strict();

function attachment(name: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * /api/v1/imports. Uploads are the raw xlsx body (content type XLSX_TYPE), parsed by this plugin only: the app's
 * 64 KiB JSON limit stays for every other route.
 */
/** Who may upload is settled before a byte of the body is read (the auth plugin's own checks run after parsing). */
async function uploadGuard(req: FastifyRequest) {
  if (!req.auth) throw errors.unauthenticated();
  const token = req.headers['x-csrf-token'];
  if (typeof token !== 'string' || !safeEqual(token, req.auth.session.csrfToken)) {
    throw errors.forbidden('缺少或错误的 CSRF 令牌，请刷新页面后重试');
  }
  assertCanImport(req.auth.grants);
}

/** The uploaded file, as the upload parser left it on disk. */
function uploadOf(req: FastifyRequest): Upload {
  const upload = req.body as Upload | undefined;
  if (!upload || typeof upload !== 'object' || !('path' in upload)) throw errors.validation(`请以 ${XLSX_TYPE} 上传 .xlsx 文件`);
  return upload;
}

export async function importRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const ctx = (req: FastifyRequest): service.Ctx => ({ db: opts.db, ring: opts.config.keyring, req });

  app.addContentTypeParser(XLSX_TYPE, async (req: FastifyRequest, payload: NodeJS.ReadableStream) =>
    receiveUpload(payload, req.headers['content-length']));
  // A body that was received but not handed to a job (the handler failed) must not stay on disk.
  app.addHook('onResponse', async (req) => {
    const body = req.body as Upload | undefined;
    if (body && typeof body === 'object' && 'owned' in body && !body.owned) await rm(body.path, { force: true });
  });
  app.addHook('onClose', async () => { await service.idle(); });

  r.get('/templates/households.xlsx', {
    schema: {
      tags: ['imports'], summary: '住户及居民导入模板（xlsx；org：为该组织下的村（社区）准备下拉列表，村（社区）则预填示例行）',
      querystring: templateQuery, response: { 200: z.unknown(), 400: errorBody, 401: errorBody },
    },
  }, async (req, reply) => {
    const stream = await service.householdTemplateFor(ctx(req), req.query.org);
    return reply.type(XLSX_TYPE).header('content-disposition', attachment('住户及居民导入模板.xlsx')).send(stream);
  });

  r.post('/households', {
    onRequest: uploadGuard,
    schema: {
      tags: ['imports'],
      summary: '导入住户及居民（请求体为 xlsx 文件本身；后台校验，全部无误才写入）',
      querystring: z.object({ fileName: inputText(1, 200).optional() }).strict(),
      response: { 202: importJobItem, ...errorResponses },
    },
  }, async (req, reply) => {
    const job = await service.startHouseholdImport(ctx(req), uploadOf(req), req.query.fileName ?? 'upload.xlsx');
    return reply.code(202).send({ data: job });
  });

  // Registry kinds (kinds/): links, businesses, members — the same checks, queue and job endpoint as households.
  for (const [kind, spec] of Object.entries(registryKinds)) {
    r.get(`/templates/${kind}.xlsx`, {
      schema: {
        tags: ['imports'], summary: `${spec.templateName}模板（xlsx；org 同住户模板）`,
        querystring: templateQuery, response: { 200: z.unknown(), 400: errorBody, 401: errorBody },
      },
    }, async (req, reply) => {
      const stream = kindTemplate(spec, await service.templateVillages(ctx(req), req.query.org));
      return reply.type(XLSX_TYPE).header('content-disposition', attachment(`${spec.templateName}模板.xlsx`)).send(stream);
    });

    r.post(`/${kind}`, {
      onRequest: uploadGuard,
      schema: {
        tags: ['imports'],
        summary: `${spec.templateName}（请求体为 xlsx 文件本身；后台校验，全部无误才写入）`,
        querystring: z.object({ fileName: inputText(1, 200).optional() }).strict(),
        response: { 202: importJobItem, ...errorResponses },
      },
    }, async (req, reply) => {
      const job = await service.startKindImport(ctx(req), spec, uploadOf(req), req.query.fileName ?? 'upload.xlsx');
      return reply.code(202).send({ data: job });
    });
  }

  r.get('/:id', {
    schema: { tags: ['imports'], summary: '导入任务状态', params: idParams, response: { 200: importJobItem, ...errorResponses } },
  }, async (req) => ({ data: await service.getJob(ctx(req), req.params.id) }));

  r.get('/:id/errors.xlsx', {
    schema: { tags: ['imports'], summary: '导入错误清单（xlsx，含原行内容：上传者本人看到原值，其他有权查看者的身份证号、电话打码；下载记入审计）', params: idParams, response: { 200: z.unknown(), ...errorResponses } },
  }, async (req, reply) => {
    const { stream, filename } = await service.jobErrors(ctx(req), req.params.id);
    return reply.type(XLSX_TYPE).header('content-disposition', attachment(filename)).send(stream);
  });
}

/** 导入保留期 (settings): finished import jobs and their error rows are deleted after this many days. */
export async function retentionRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  const errs = { 400: errorBody, 401: errorBody, 403: errorBody };
  r.get('/', { schema: { tags: ['settings'], summary: '导入保留期（天）：生效值与来源', response: { 200: retentionView, ...errs } } },
    async (req) => ({ data: await service.retention({ db: opts.db, req }, opts.config.importRetentionDays) }));
  r.put('/', { schema: { tags: ['settings'], summary: '设置导入保留期（7–365 天；null 恢复默认；记入审计）', body: retentionPut, response: { 200: retentionView, ...errs } } },
    async (req) => ({ data: await service.setRetention({ db: opts.db, req }, opts.config.importRetentionDays, req.body.days) }));
}
