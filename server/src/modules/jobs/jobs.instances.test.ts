import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import { openPool, type Database } from '../../db/client.ts';
import { notify, registerChannel, unregisterChannel } from '../notifications/notifications.service.ts';
import { startJobs, type JobsRunner } from './jobs.service.ts';

/**
 * Two server copies on one database, each with its own pool and pg-boss runner (as two processes would have): a
 * scheduled job runs once per slot, not once per copy, and the work it does (the outbox) happens once.
 */
let t: TestApp;
let second: Database;
const runners: JobsRunner[] = [];
const sent: string[] = [];

beforeAll(async () => {
  t = await setupTestApp();
  second = openPool(t.database.pool.options.connectionString!, 'url', 5);
  registerChannel({ name: 'sms', send: async (m) => { sent.push(m.id); } });
  runners.push(await startJobs(t.database, t.config, () => {}));
  runners.push(await startJobs(second, t.config, () => {}));
}, 60_000);
afterAll(async () => {
  for (const r of runners) await r.stop();
  unregisterChannel('sms');
  await second?.close();
  await t?.close();
});

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('jobs with two app instances', () => {
  it('the every-minute outbox job is created once per minute across both runners, and each queued message is sent exactly once', async () => {
    const { rows: [account] } = await t.database.pool.query<{ id: string }>("SELECT id FROM accounts WHERE username = 'member'");
    await notify(t.database.db, Array.from({ length: 8 }, (_, i) => ({ accountId: account!.id, kind: 'visit_due', title: `待走访 ${i}`, dedupeKey: `two-runners:${i}` })));
    const status = () => t.database.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM outbox GROUP BY status').then((r) => r.rows);
    const done = await until(status, (rows) => rows.length === 1 && rows[0]!.status === 'sent', 150_000);
    expect(done).toEqual([{ status: 'sent', n: 8 }]);
    expect(sent).toHaveLength(8);
    expect(new Set(sent).size).toBe(8);
    // Both copies scheduled the job; pg-boss keeps one schedule and claims each minute's slot once.
    const schedules = await t.database.pool.query("SELECT name FROM pgboss.schedule WHERE name = 'lianxin-outbox'");
    expect(schedules.rowCount).toBe(1);
    const perMinute = await t.database.pool.query<{ minute: Date; n: number }>(`
      SELECT date_trunc('minute', created_on) AS minute, count(*)::int AS n FROM pgboss.job WHERE name = 'lianxin-outbox' GROUP BY 1`);
    expect(perMinute.rows.length).toBeGreaterThanOrEqual(1);
    for (const row of perMinute.rows) expect(row.n, String(row.minute)).toBe(1);
    const run = await t.database.pool.query("SELECT last_status FROM job_runs WHERE name = 'outbox'");
    expect(run.rows[0]).toEqual({ last_status: 'completed' });
  }, 180_000);
});
