import { backupOverview, backupRunItem, errorBody, scheduledJobList } from '@lianxin/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { assertSystemAdmin } from './jobs.policy.ts';
import * as service from './jobs.service.ts';

const errorResponses = { 401: errorBody, 403: errorBody };

/** /api/v1/system: scheduled jobs and backups, for the system administrator only. */
export async function systemRoutes(app: FastifyInstance, opts: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireAuth);
  r.addHook('preHandler', async (req) => { assertSystemAdmin(req.auth!.grants); });

  r.get('/jobs', {
    schema: { tags: ['system'], summary: '定时任务：上次运行、下次运行、最近失败', response: { 200: scheduledJobList, ...errorResponses } },
  }, async () => ({ data: await service.scheduledJobs(opts.db, opts.config) }));

  r.get('/backups', {
    schema: { tags: ['system'], summary: '备份：存放位置、已完成的备份、最近一次备份任务与失败', response: { 200: backupOverview, ...errorResponses } },
  }, async () => ({ data: await service.backupOverview(opts.db, opts.config) }));

  r.post('/backups', {
    schema: {
      tags: ['system'], summary: '立即备份（排入后台任务；返回任务编号，进度见 GET /system/backups/runs/{id}）',
      response: { 202: backupRunItem, 409: errorBody, ...errorResponses },
    },
  }, async (req, reply) => reply.code(202).send({ data: await service.requestBackup(opts.db, opts.config, req) }));

  r.get('/backups/runs/:id', {
    schema: {
      tags: ['system'], summary: '一次备份任务的状态与进度',
      params: z.object({ id: z.uuid('任务编号格式不正确') }).strict(),
      response: { 200: backupRunItem, 400: errorBody, 404: errorBody, ...errorResponses },
    },
  }, async (req) => ({ data: await service.backupRun(opts.db, req.params.id) }));
}
