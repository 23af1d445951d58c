import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from './app.ts';

/**
 * Generated junk at the auth and org endpoints: whatever arrives, the answer is 2xx or 4xx — never 5xx — and every
 * error carries the shape { error: { id, message } }.
 */
let t: TestApp;
let office: Session;
beforeAll(async () => {
  t = await setupTestApp({ loginRatePerMinute: 100_000, lockoutThreshold: 100_000 });
  office = await login(t.app, 'office');
});
afterAll(async () => { await t.close(); });

function checkShape(res: { statusCode: number; json(): unknown }, label: string) {
  expect(res.statusCode, label).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = res.json() as { error?: { id?: unknown; message?: unknown } };
    expect(typeof body.error?.id, label).toBe('string');
    expect(typeof body.error?.message, label).toBe('string');
  }
}

const junkValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const junkText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('../..', '%00', "' OR 1=1--", '<script>', '%', '_', '\u0000', '419001000000/..', '😀', '克井镇', 'kjz'),
);

describe('fuzz: auth and org endpoints answer junk with 2xx/4xx and the error shape', () => {
  it('POST /api/v1/auth/login with arbitrary JSON bodies', async () => {
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom('username', 'password'), fc.string({ maxLength: 10 })), junkValue, { maxKeys: 4 }), async (body) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
      checkShape(res, JSON.stringify(body));
      expect(res.statusCode).not.toBe(200);
    }), { numRuns: 150 });
  });

  it('POST /api/v1/auth/login with arbitrary raw bytes and content types', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml'), async (raw, type) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': type }, payload: raw });
      checkShape(res, `${type} ${raw}`);
    }), { numRuns: 150 });
  });

  it('GET /api/v1/orgs with arbitrary query strings', async () => {
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom('parent', 'q', 'limit', 'cursor', 'level'), fc.string({ maxLength: 8 })), junkText, { maxKeys: 4 }), async (query) => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs', query, headers: { cookie: office.cookie } });
      checkShape(res, JSON.stringify(query));
    }), { numRuns: 200 });
  });

  it('GET /api/v1/orgs/:code with arbitrary codes', async () => {
    await fc.assert(fc.asyncProperty(junkText, async (code) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${encodeURIComponent(code)}`, headers: { cookie: office.cookie } });
      checkShape(res, code);
    }), { numRuns: 200 });
  });

  it('POST /api/v1/households with junk bodies never answers 5xx and never writes a partial household', async () => {
    const sec = await login(t.app, 'secretary');
    const before = (await t.database.pool.query('SELECT count(*)::int AS n FROM households')).rows[0].n;
    await fc.assert(fc.asyncProperty(fc.record({
      orgCode: fc.oneof(fc.constant('419001100201'), junkText),
      address: junkText,
      tags: fc.array(junkText, { maxLength: 3 }),
      residents: fc.array(fc.dictionary(fc.constantFrom('name', 'sex', 'birthDate', 'idNumber', 'relation', 'phone'), junkText), { maxLength: 3 }),
    }, { requiredKeys: [] }), async (body) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: sec.cookie, 'x-csrf-token': sec.csrf }, payload: body });
      checkShape(res, JSON.stringify(body));
      expect(res.statusCode).not.toBe(201);
    }), { numRuns: 150 });
    expect((await t.database.pool.query('SELECT count(*)::int AS n FROM households')).rows[0].n).toBe(before);
  });

  it('GET /api/v1/orgs?q= with a NUL byte answers 400 validation_error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs?q=%00', headers: { cookie: office.cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe('validation_error');
  });

  it('POST /api/v1/auth/logout with junk bodies and CSRF headers never logs out without the right token', async () => {
    await fc.assert(fc.asyncProperty(junkValue, fc.string({ maxLength: 40 }), async (body, token) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: office.cookie, 'x-csrf-token': token, 'content-type': 'application/json' }, payload: JSON.stringify(body) ?? '' });
      checkShape(res, `${token} ${JSON.stringify(body)}`);
      // Refused either by the CSRF check (403) or, for bodies that are not JSON, by the parser before it (4xx).
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }), { numRuns: 100 });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: office.cookie } });
    expect(me.statusCode).toBe(200);
  });
});
