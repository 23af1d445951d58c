import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { purgeFinishedJobs } from './imports.repo.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp(); });
afterAll(async () => { await t.close(); });

async function job(status: string, finishedDaysAgo: number | null): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO import_jobs (kind, created_by, org_scope, status, file_name, finished_at)
    SELECT 'households', id, ARRAY['419001000000'], ${status}, 'x.xlsx',
           ${finishedDaysAgo === null ? null : sql`now() - make_interval(days => ${finishedDaysAgo})`}
    FROM accounts WHERE username = 'secretary' RETURNING id`);
  const id = rows[0]!.id;
  await t.database.db.execute(sql`INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc) VALUES (${id}, '居民', 2, '身份证号', '校验位', 'k1:x:y:z')`);
  return id;
}
const exists = async (id: string) => (await t.database.db.execute(sql`SELECT 1 FROM import_jobs WHERE id = ${id}`)).rows.length === 1;
const errorsOf = async (id: string) => (await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_errors WHERE job_id = ${id}`)).rows[0]!.n;

describe('import retention', () => {
  it('deletes finished jobs older than the retention with their error rows (uploaded personal data), and keeps recent or running ones', async () => {
    const oldFailed = await job('failed', 31);
    const oldDone = await job('done', 45);
    const recent = await job('failed', 29);
    const running = await job('validating', null);
    expect(await purgeFinishedJobs(t.database.db, 30)).toEqual({ deleted: 2, days: 30 });
    expect([await exists(oldFailed), await exists(oldDone), await errorsOf(oldFailed)]).toEqual([false, false, 0]);
    expect([await exists(recent), await errorsOf(recent), await exists(running)]).toEqual([true, 1, true]);
  });
});

describe('/api/v1/settings/retention', () => {
  const URL = '/api/v1/settings/retention';
  const as = async (role: string) => login(t.app, role);
  const call = (s: Session, method: 'GET' | 'PUT', payload?: unknown) =>
    t.app.inject({ method, url: URL, payload: payload as object, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });

  it('returns the default, then the set value; 400 outside 7–365; purge uses the set value; null returns to the default', async () => {
    const office = await as('office');
    expect((await call(office, 'GET')).json().data).toEqual({ days: 30, source: 'default', defaultDays: 30, min: 7, max: 365, editable: true });
    expect((await call(office, 'PUT', { days: 6 })).statusCode).toBe(400);
    expect((await call(office, 'PUT', { days: 366 })).statusCode).toBe(400);
    const set = await call(office, 'PUT', { days: 10 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().data).toMatchObject({ days: 10, source: 'setting' });
    const old = await job('done', 12);
    const young = await job('done', 8);
    expect((await purgeFinishedJobs(t.database.db, 30)).days).toBe(10); // also the 29-day job of the test above
    expect([await exists(old), await exists(young)]).toEqual([false, true]);
    const audit = await t.database.db.execute<{ before: unknown; after: unknown }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'settings.import_retention' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0]).toEqual({ before: { days: null }, after: { days: 10 } });
    expect((await call(office, 'PUT', { days: null })).json().data).toMatchObject({ days: 30, source: 'default' });
  });

  it('returns 403 changing it as a town account (which reads it) and 403 reading it as a secretary', async () => {
    const town = await as('town');
    expect((await call(town, 'GET')).json().data.editable).toBe(false);
    expect((await call(town, 'PUT', { days: 20 })).statusCode).toBe(403);
    expect((await call(await as('secretary'), 'GET')).statusCode).toBe(403);
  });
});
