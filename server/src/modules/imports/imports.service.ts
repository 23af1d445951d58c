import type { ImportJob } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { rm } from 'node:fs/promises';
import type { PassThrough } from 'node:stream';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { runHouseholdImport } from './imports.job.ts';
import { assertCanImport, canSeeJob } from './imports.policy.ts';
import { presentJob } from './imports.presenter.ts';
import * as repo from './imports.repo.ts';
import type { Upload } from './imports.upload.ts';
import { errorWorkbook } from './imports.workbooks.ts';
import { runKindImport, type KindSpec } from './kinds/run.ts';

// Housekeeping main.ts runs at boot and every 6 hours: jobs a dead process left running fail, old finished ones go.
export { failInterruptedJobs, purgeFinishedJobs } from './imports.repo.ts';

export interface Ctx { db: Db; ring: Keyring; req: FastifyRequest }

/**
 * Jobs run one at a time, in this process, in upload order: validation is CPU-bound (encryption, pinyin) and the
 * merge takes row locks, so parallel jobs would only compete. `idle()` lets the app wait for them on close.
 */
let queue: Promise<void> = Promise.resolve();
export function idle(): Promise<void> { return queue; }

export async function startHouseholdImport(ctx: Ctx, upload: Upload, fileName: string): Promise<ImportJob> {
  const scope = assertCanImport(ctx.req.auth!.grants);
  const job = await repo.insertJob(ctx.db, { kind: 'households', createdBy: ctx.req.auth!.account.id, orgScope: scope, fileName });
  upload.owned = true;
  queue = queue.then(() => runHouseholdImport({ db: ctx.db, ring: ctx.ring, req: ctx.req, jobId: job.id, filePath: upload.path, scope }))
    .catch((e: unknown) => { ctx.req.log.error({ err: e }, 'import job crashed'); })
    .finally(() => rm(upload.path, { force: true }));
  return presentJob(job);
}

/** A registry kind (links, businesses, members; kinds/): the same queue, job table and error list as households. */
export async function startKindImport(ctx: Ctx, spec: KindSpec<unknown>, upload: Upload, fileName: string): Promise<ImportJob> {
  const scope = assertCanImport(ctx.req.auth!.grants);
  const job = await repo.insertJob(ctx.db, { kind: spec.kind, createdBy: ctx.req.auth!.account.id, orgScope: scope, fileName });
  upload.owned = true;
  queue = queue.then(() => runKindImport(spec, { db: ctx.db, ring: ctx.ring, req: ctx.req, jobId: job.id, filePath: upload.path, scope }))
    .catch((e: unknown) => { ctx.req.log.error({ err: e }, 'import job crashed'); })
    .finally(() => rm(upload.path, { force: true }));
  return presentJob(job);
}

async function visibleJob(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const job = await repo.findJob(ctx.db, id);
  if (!job || !canSeeJob(job, ctx.req.auth!.account.id, ctx.req.auth!.grants)) throw errors.notFound();
  return job;
}

export async function getJob(ctx: Ctx, id: string): Promise<ImportJob> {
  return presentJob(await visibleJob(ctx, id));
}

/** The error list holds the uploaded rows (ID numbers included, in full for the uploader only): each download is audited. */
export async function jobErrors(ctx: Ctx, id: string): Promise<{ stream: PassThrough; filename: string }> {
  const job = await visibleJob(ctx, id);
  const masked = job.created_by !== ctx.req.auth!.account.id;
  await appendAudit(ctx.db, ctx.req, { action: 'import.errors_download', entityType: 'import_job', entityId: id, after: { errors: job.error_count, masked } });
  const stream = errorWorkbook(ctx.db, ctx.ring, id, masked, (e) => ctx.req.log.error({ err: e }, 'import error list failed'));
  return { stream, filename: `导入错误-${job.file_name.replace(/\.xlsx$/i, '')}.xlsx` };
}
