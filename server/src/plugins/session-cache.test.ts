import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type TestApp } from '../../test/app.ts';
import { SESSION_CACHE_TTL_MS, SessionCache } from './session-cache.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp(); });
afterAll(async () => { await t?.close(); });

/** Counts the session lookups (the query resolveSession sends) made while `work` runs. */
async function sessionQueries(work: () => Promise<void>): Promise<number> {
  const pool = t.database.pool as unknown as { query: (...a: unknown[]) => unknown };
  const original = pool.query;
  let n = 0;
  pool.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    if ((typeof q === 'string' ? q : q?.text ?? '').includes('FROM sessions s JOIN accounts a')) n += 1;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    pool.query = original;
  }
  return n;
}

const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

describe('session cache', () => {
  it('200 for 20 reads in a row with one session lookup between them (the rest served from the cache)', async () => {
    const s = await login(t.app, 'office');
    const n = await sessionQueries(async () => {
      for (let i = 0; i < 20; i++) expect((await me(s.cookie)).statusCode).toBe(200);
    });
    expect(n).toBeLessThanOrEqual(1);
  });

  it('401 within a second when the session is revoked outside this process (NOTIFY), long before the cache would expire', async () => {
    const s = await login(t.app, 'secretary');
    expect((await me(s.cookie)).statusCode).toBe(200); // now cached
    const started = Date.now();
    // As another server copy or `npm run create-admin` would: straight in the database.
    await t.database.pool.query(`UPDATE sessions SET revoked_at = now() WHERE account_id = (SELECT id FROM accounts WHERE username = 'secretary') AND revoked_at IS NULL`);
    let status = 200;
    while (status === 200 && Date.now() - started < SESSION_CACHE_TTL_MS) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await me(s.cookie)).statusCode;
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('401 on the very next request after logging out everywhere through the API (cleared before the answer is sent)', async () => {
    const a = await login(t.app, 'town');
    const b = await login(t.app, 'town');
    expect((await me(b.cookie)).statusCode).toBe(200); // b cached
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf }, payload: { everywhere: true } });
    expect(out.statusCode).toBeLessThan(300);
    expect((await me(b.cookie)).statusCode).toBe(401);
  });
});

describe('session cache listener', () => {
  it('starts without a reachable database (listen resolves, retries in the background) and closes cleanly', async () => {
    const cache = new SessionCache<number>();
    await expect(cache.listen({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 500 })).resolves.toBeUndefined();
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    await cache.close();
    expect(cache.get('a')).toBeUndefined();
  });
});
