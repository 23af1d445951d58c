import type { BackupOverview, BackupRun, ScheduledJobList } from '@lianxin/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { startJobs, type JobsRunner } from './jobs.service.ts';

let t: TestApp;
let runner: JobsRunner;
let admin: Session;
let backupDir: string;

beforeAll(async () => {
  backupDir = path.join(mkdtempSync(path.join(tmpdir(), 'lianxin-jobs-')), 'backups');
  t = await setupTestApp({ backupDir, backupKeep: 2 });
  runner = await startJobs(t.database, t.config, () => {});
  admin = await login(t.app, 'admin');
}, 60_000);
afterAll(async () => {
  await runner.stop();
  await t.close();
  rmSync(path.dirname(backupDir), { recursive: true, force: true });
});

async function get<T>(s: Session, url: string): Promise<{ status: number; data: T }> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  return { status: res.statusCode, data: res.json().data as T };
}

async function requestBackup(): Promise<BackupRun> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/system/backups', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().data as BackupRun;
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('system jobs and backups', () => {
  it('GET /system/jobs returns 200 with the jobs, their next run (02:30 Shanghai), and housekeeping and the visit changes run once at start', async () => {
    const done = (r: { data: ScheduledJobList }, name: string) => r.data.jobs.find((j) => j.name === name)?.lastRun?.status === 'completed';
    const list = await until(() => get<ScheduledJobList>(admin, '/api/v1/system/jobs'), (r) => done(r, 'housekeeping') && done(r, 'visit_changes'));
    expect(list.status).toBe(200);
    expect(list.data.runnerStarted).toBe(true);
    const backup = list.data.jobs.find((j) => j.name === 'backup')!;
    expect(backup.enabled).toBe(true);
    // 02:30 in Shanghai is 18:30 UTC, within the next day.
    expect(backup.nextRunAt).toMatch(/T18:30:00\.000Z$/);
    expect(new Date(backup.nextRunAt!).getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    const housekeeping = list.data.jobs.find((j) => j.name === 'housekeeping')!;
    expect(housekeeping.lastRun).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
    expect(new Date(housekeeping.nextRunAt!).getUTCHours() % 6).toBe(4); // 0/6/12/18 h in Shanghai = 16/22/4/10 UTC
    const changes = list.data.jobs.find((j) => j.name === 'visit_changes')!;
    expect(changes.lastRun).toMatchObject({ status: 'completed' });
    expect(new Date(changes.nextRunAt!).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  }, 60_000);

  it('POST /system/backups returns 202 with a job id; the run reports progress, completes, is listed and audited', async () => {
    const queued = await requestBackup();
    expect(queued.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const done = await until(() => get<BackupRun>(admin, `/api/v1/system/backups/runs/${queued.jobId}`), (r) => r.data.state === 'completed' || r.data.state === 'failed');
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ state: 'completed', error: null, file: expect.stringMatching(/\.lxbackup\.gz$/) });
    expect(done.data.tablesDone).toBe(done.data.tables);
    const overview = await get<BackupOverview>(admin, '/api/v1/system/backups');
    expect(overview.data.dir).toBe(backupDir);
    expect(overview.data.backups[0]).toMatchObject({ name: done.data.file, tables: done.data.tables, rows: expect.any(Number) });
    expect(overview.data.backups[0]!.rows).toBeGreaterThan(500);
    expect(overview.data.latestRun).toMatchObject({ jobId: queued.jobId, state: 'completed' });
    const { rows } = await t.database.pool.query<{ action: string; actor_username: string | null; entity_id: string }>(
      "SELECT action, actor_username, entity_id FROM audit_events WHERE action LIKE 'system.backup%' ORDER BY id");
    expect(rows).toEqual([
      { action: 'system.backup_requested', actor_username: 'admin', entity_id: queued.jobId },
      { action: 'system.backup_written', actor_username: null, entity_id: done.data.file },
    ]);
  }, 60_000);

  it('a failing backup is recorded as the last failure of the job and of the backups, and retried', async () => {
    // The backup directory's place is taken by a file: writing fails.
    const real = backupDir + '.real';
    const { renameSync } = await import('node:fs');
    renameSync(backupDir, real);
    writeFileSync(backupDir, 'not a directory');
    try {
      const queued = await requestBackup();
      const run = await until(() => get<BackupRun>(admin, `/api/v1/system/backups/runs/${queued.jobId}`), (r) => r.data.error !== null && r.data.state !== 'running');
      // pg-boss will try again later (retryLimit): queued for a retry, with the error of the failed attempt.
      expect(run.data).toMatchObject({ state: 'queued', error: expect.stringMatching(/EEXIST|ENOTDIR/) });
      const jobs = await get<ScheduledJobList>(admin, '/api/v1/system/jobs');
      const backup = jobs.data.jobs.find((j) => j.name === 'backup')!;
      expect(backup.lastRun).toMatchObject({ status: 'failed' });
      expect(backup.lastFailure).toMatchObject({ at: expect.any(String), error: expect.stringMatching(/EEXIST|ENOTDIR/) });
      const overview = await get<BackupOverview>(admin, '/api/v1/system/backups');
      expect(overview.data.lastFailure).toMatchObject({ error: expect.any(String) });
    } finally {
      rmSync(backupDir);
      renameSync(real, backupDir);
    }
  }, 60_000);

  it.each(['office', 'town', 'secretary', 'member', 'department', 'leader'])('returns 403 to %s for every system route', async (role) => {
    const s = await login(t.app, role);
    for (const url of ['/api/v1/system/jobs', '/api/v1/system/backups']) {
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } })).statusCode, url).toBe(403);
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/system/backups', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(post.statusCode).toBe(403);
  });

  it('returns 401 without a session, 403 without the CSRF header and 404 for an unknown run', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/system/jobs' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/system/backups', headers: { cookie: admin.cookie } })).statusCode).toBe(403);
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/system/backups/runs/${crypto.randomUUID()}`, headers: { cookie: admin.cookie } });
    expect(missing.statusCode).toBe(404);
  });
});
