import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from './app.ts';
import { householdBody } from './factories.ts';

// Every /api/ answer defaults to Cache-Control: no-store (app.ts onSend hook): registry detail, reveals and exports
// carry personal data, and a browser's or proxy's cache must not keep a copy. The public card: print.test.ts.
let t: TestApp;
let s: Session;
let village: string;
beforeAll(async () => {
  t = await setupTestApp();
  s = await login(t.app, 'secretary');
  const { rows } = await t.database.db.execute<{ code: string }>(sql`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE v.level = 'village' AND p.code = '419001100000' ORDER BY v.sort_key LIMIT 1`);
  village = rows[0]!.code;
});
afterAll(async () => { await t.close(); });

function req(method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, payload, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
}

describe('Cache-Control on API answers', () => {
  it('is no-store on household detail, a reveal result, an export, a list, an error and the login answer', async () => {
    const created = await req('POST', '/api/v1/households', householdBody(village));
    expect(created.statusCode, created.body).toBe(201);
    const { id, residents } = created.json().data as { id: string; residents: { id: string }[] };
    const answers = {
      created,
      detail: await req('GET', `/api/v1/households/${id}`),
      reveal: await req('POST', `/api/v1/residents/${residents[0]!.id}/reveal`, { field: 'idNumber', reason: '核实身份' }),
      export: await req('GET', `/api/v1/households/export?org=${village}`),
      list: await req('GET', `/api/v1/households?org=${village}`),
      notFound: await req('GET', '/api/v1/households/00000000-0000-4000-8000-000000000000'),
      login: s.res,
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      expect(res.headers['cache-control'], name).toBe('no-store');
    }
    expect(answers.detail.statusCode).toBe(200);
    expect(answers.reveal.statusCode).toBe(200);
    expect(answers.export.statusCode).toBe(200);
  });

  it('leaves the web app\'s own files to their caching (no forced no-store outside /api/)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['cache-control']).toBeUndefined();
  });
});
