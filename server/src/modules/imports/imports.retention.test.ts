import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
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
