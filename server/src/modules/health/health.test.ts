import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp(); });
afterAll(async () => { await t.close(); });

describe('health', () => {
  it('GET /healthz returns 200 ok without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz returns 200 with the engine, its version and the latest applied migration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ready');
    expect(body.database.engine).toBe(t.database.engine);
    expect(body.database.version).toMatch(/^1[5-9]\./);
    expect(body.database.migration).toMatch(/^\d{4}_[a-z_]+$/);
  });

  it('GET /api/docs/json returns the OpenAPI document listing the auth and org routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/orgs', '/api/v1/orgs/{code}']));
  });

  it('declares the cookie session and the CSRF header; every operation has a summary and a unique operationId, no path a trailing slash', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { summary?: string; operationId?: string; security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> }; security: unknown[];
    };
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'lx_session' }, csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
    });
    expect(doc.security).toEqual([{ session: [] }]);
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.entries(o).map(([m, op]) => ({ p, m, op })));
    for (const { p, m, op } of ops) {
      expect(p, p).not.toMatch(/.\/$/);
      expect(op.summary, `${m} ${p}`).toBeTruthy();
      expect(op.operationId, `${m} ${p}`).toMatch(/^[a-z][A-Za-z]+$/);
    }
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    const publicOps = ops.filter((o) => o.op.security?.length === 0).map((o) => `${o.m} ${o.p}`).sort();
    expect(publicOps).toEqual(['get /api/v1/public/cards/{token}', 'get /healthz', 'get /readyz', 'post /api/v1/auth/login']);
    expect(doc.paths['/api/v1/households']!.post!.security).toEqual([{ session: [], csrf: [] }]);
  });

  it('returns 404 with the error shape for an unknown API path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { id: 'not_found', message: expect.any(String) } });
  });
});

describe('API docs', () => {
  it('GET /api/docs serves the Swagger UI page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
  });
});
