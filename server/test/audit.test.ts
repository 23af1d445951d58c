import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type TestApp } from './app.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp(); });
afterAll(async () => { await t.close(); });

describe('audit_events is append-only in the database itself', () => {
  it('rejects UPDATE, DELETE and TRUNCATE with an error and keeps the rows', async () => {
    await login(t.app, 'office');
    const count = async () => (await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events`)).rows[0]!.n;
    const n = await count();
    expect(n).toBeGreaterThan(0);
    // Straight through the pg pool, as any client of the database would (drizzle would wrap the error).
    for (const stmt of [`UPDATE audit_events SET action = 'forged'`, 'DELETE FROM audit_events', 'TRUNCATE audit_events']) {
      await expect(t.database.pool.query(stmt), stmt).rejects.toThrow(/append-only/);
    }
    expect(await count()).toBe(n);
    const { rows } = await t.database.db.execute<{ action: string }>(sql`SELECT action FROM audit_events WHERE action = 'forged'`);
    expect(rows).toHaveLength(0);
  });

  it('records who, when and what for a login', async () => {
    await login(t.app, 'town');
    const { rows } = await t.database.db.execute<{ actor_username: string; at: Date; ip: string; request_id: string }>(sql`
      SELECT actor_username, at, ip, request_id FROM audit_events WHERE action = 'auth.login' AND actor_username = 'town'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ip).toBeTruthy();
    expect(rows[0]!.request_id).toBeTruthy();
    expect(Date.now() - new Date(rows[0]!.at).getTime()).toBeLessThan(60_000);
  });
});
