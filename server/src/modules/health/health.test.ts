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
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/orgs/', '/api/v1/orgs/{code}']));
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
