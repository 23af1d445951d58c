import { RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, type ImportJob, type RetentionView } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { rm } from 'node:fs/promises';
import type { PassThrough } from 'node:stream';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { runHouseholdImport } from './imports.job.ts';
import { assertCanImport, canSeeJob, retentionEditor } from './imports.policy.ts';
import { presentJob } from './imports.presenter.ts';
import * as repo from './imports.repo.ts';
import type { Upload } from './imports.upload.ts';
import { importLimits, LISTED_ERRORS } from './imports.limits.ts';
import { errorWorkbook, householdTemplate } from './imports.workbooks.ts';
import type { TemplateVillages } from './imports.template.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { tagDictionary } from '../households/households.service.ts';
import { runKindImport, type KindSpec } from './kinds/run.ts';

// Housekeeping main.ts runs at boot and every 6 hours: jobs a dead process left running fail, old finished ones go
// (after the retention set on the settings page, else the server's default it passes).
export { failInterruptedJobs, purgeFinishedJobs } from './imports.repo.ts';

/** 导入保留期: the effective value, whether it is set here or the server's default, and who may change it. */
export async function retention(ctx: Pick<Ctx, 'db' | 'req'>, defaultDays: number): Promise<RetentionView> {
  const editable = retentionEditor(ctx.req.auth!.grants);
  const set = await repo.retentionSetting(ctx.db);
  return { days: set ?? defaultDays, source: set === null ? 'default' : 'setting', defaultDays, min: RETENTION_MIN_DAYS, max: RETENTION_MAX_DAYS, editable };
}

/** Sets the retention (7–365 days) or returns to the default (null); audited before → after. */
export async function setRetention(ctx: Pick<Ctx, 'db' | 'req'>, defaultDays: number, days: number | null): Promise<RetentionView> {
  if (!retentionEditor(ctx.req.auth!.grants)) throw errors.forbidden('只有连心办和系统管理员可以修改导入保留期');
  await ctx.db.transaction(async (tx) => {
    const before = await repo.retentionSetting(tx);
    await repo.setRetention(tx, days);
    await appendAudit(tx, ctx.req, { action: 'settings.import_retention', entityType: 'setting', entityId: 'imports.retentionDays', before: { days: before }, after: { days } });
  });
  return retention(ctx, defaultDays);
}

export interface Ctx { db: Db; ring: Keyring; req: FastifyRequest }

/**
 * Jobs run in this process, at most `importLimits.concurrentJobs` (2) at a time and at most one per uploader, otherwise
 * in upload order. One at a time, a single uploader's large (or hostile) workbook held up every other import in the
 * zone; now it holds one slot, and the next uploader's job starts beside it. Not more: validation is CPU-bound
 * (encryption, pinyin; 2 cores), and merges take their turn anyway (`oneMergeAtATime`, imports.job.ts). Each job's
 * memory and time are bounded by the reader (imports.xlsx-reader.ts). `idle()` lets the app wait for them on close.
 */
interface Waiting { uploader: string; run: () => Promise<void> }
const waiting: Waiting[] = [];
const runningFor = new Set<string>(); // uploaders with a running job
const running = new Set<Promise<void>>();

function pump(): void {
  while (runningFor.size < importLimits.concurrentJobs) {
    const i = waiting.findIndex((w) => !runningFor.has(w.uploader));
    if (i < 0) return;
    const [next] = waiting.splice(i, 1);
    runningFor.add(next!.uploader);
    const job: Promise<void> = next!.run().finally(() => {
      runningFor.delete(next!.uploader);
      running.delete(job);
      pump();
    });
    running.add(job);
  }
}

function enqueue(ctx: Ctx, upload: Upload, run: () => Promise<void>): void {
  upload.owned = true;
  waiting.push({
    uploader: ctx.req.auth!.account.id,
    run: () => run()
      .catch((e: unknown) => { ctx.req.log.error({ err: e }, 'import job crashed'); })
      .finally(() => rm(upload.path, { force: true })),
  });
  pump();
}

export async function idle(): Promise<void> {
  while (running.size || waiting.length) await Promise.all(running);
}

export async function startHouseholdImport(ctx: Ctx, upload: Upload, fileName: string): Promise<ImportJob> {
  const scope = assertCanImport(ctx.req.auth!.grants);
  const job = await repo.insertJob(ctx.db, { kind: 'households', createdBy: ctx.req.auth!.account.id, orgScope: scope, fileName });
  enqueue(ctx, upload, () => runHouseholdImport({ db: ctx.db, ring: ctx.ring, req: ctx.req, jobId: job.id, filePath: upload.path, scope }));
  return presentJob(job);
}

/** A registry kind (links, businesses, members; kinds/): the same queue, job table and error list as households. */
export async function startKindImport(ctx: Ctx, spec: KindSpec<unknown>, upload: Upload, fileName: string): Promise<ImportJob> {
  const scope = assertCanImport(ctx.req.auth!.grants);
  const job = await repo.insertJob(ctx.db, { kind: spec.kind, createdBy: ctx.req.auth!.account.id, orgScope: scope, fileName });
  enqueue(ctx, upload, () => runKindImport(spec, { db: ctx.db, ring: ctx.ring, req: ctx.req, jobId: job.id, filePath: upload.path, scope }));
  return presentJob(job);
}

/**
 * The villages a template offers (its 村（社区）代码 list): those the caller may import to, under the page's org when
 * one is given; the one to prefill when that org is a village, or the caller has one village only (a secretary). An
 * org outside the caller's scope narrows nothing and prefills nothing (its existence stays private).
 */
export async function templateVillages(ctx: Ctx, orgCode: string | undefined): Promise<TemplateVillages> {
  const roots = registryRoots(ctx.req.auth!.grants, 'write');
  const org = orgCode ? await repo.orgPathOf(ctx.db, orgCode) : null;
  const list = await repo.villagesWithin(ctx.db, roots, org && within(org, roots) ? org : null);
  const pick = list.length === 1 ? list[0]! : null;
  return { list: list.map(({ code, name }) => ({ code, name })), prefill: pick && { code: pick.code, name: pick.name } };
}

/** The households template, for the caller's villages, with the tag dictionary's codes, names and aliases. */
export async function householdTemplateFor(ctx: Ctx, orgCode: string | undefined): Promise<PassThrough> {
  return householdTemplate(await templateVillages(ctx, orgCode), (await tagDictionary(ctx.db)).tags);
}

async function visibleJob(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const job = await repo.findJob(ctx.db, id);
  if (!job || !canSeeJob(job, ctx.req.auth!.account.id, ctx.req.auth!.grants)) throw errors.notFound();
  return job;
}

/** A failed job comes with its first errors (values masked as in the error workbook unless the caller uploaded it). */
export async function getJob(ctx: Ctx, id: string): Promise<ImportJob> {
  const job = await visibleJob(ctx, id);
  if (job.status !== 'failed') return presentJob(job);
  const errs = await repo.errorsPage(ctx.db, id, null, LISTED_ERRORS);
  return presentJob(job, errs, ctx.ring, job.created_by !== ctx.req.auth!.account.id);
}

/** The error list holds the uploaded rows (ID numbers included, in full for the uploader only): each download is audited. */
export async function jobErrors(ctx: Ctx, id: string): Promise<{ stream: PassThrough; filename: string }> {
  const job = await visibleJob(ctx, id);
  const masked = job.created_by !== ctx.req.auth!.account.id;
  await appendAudit(ctx.db, ctx.req, { action: 'import.errors_download', entityType: 'import_job', entityId: id, after: { errors: job.error_count, masked } });
  const stream = errorWorkbook(ctx.db, ctx.ring, id, masked, (e) => ctx.req.log.error({ err: e }, 'import error list failed'));
  return { stream, filename: `导入错误-${job.file_name.replace(/\.xlsx$/i, '')}.xlsx` };
}

/** How far back a failed import still asks for attention on the home page (retention keeps them 30 days). */
const ATTENTION_DAYS = 14;

/** Waiting and failed-not-redone imports per org (the home page's rows per village or town); counts only. */
export function importAttentionCounts(db: Db, orgPaths: string[]): Promise<Map<string, { waiting: number; failed: number }>> {
  return repo.attentionCounts(db, orgPaths, ATTENTION_DAYS);
}

/**
 * The imports of one org that want attention (the secretary's 工作台): the counts, and the jobs the caller may open
 * (their own; any, for the project office), newest first.
 */
export async function importAttention(db: Db, req: FastifyRequest, orgPath: string, limit: number): Promise<{ waiting: number; failed: number; jobs: { job: ImportJob; orgCode: string | null }[] }> {
  const counts = (await repo.attentionCounts(db, [orgPath], ATTENTION_DAYS)).get(orgPath)!;
  const rows = await repo.attentionJobsIn(db, orgPath, ATTENTION_DAYS, 50);
  const visible = rows.filter((j) => canSeeJob(j, req.auth!.account.id, req.auth!.grants)).slice(0, limit);
  // The org the job was uploaded for (its import page lives there): the last code of its first scope path.
  return { ...counts, jobs: visible.map((j) => ({ job: presentJob(j), orgCode: j.org_scope[0]?.split('/').pop() ?? null })) };
}
