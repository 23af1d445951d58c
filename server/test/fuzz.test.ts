import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from './app.ts';

/**
 * Generated junk: whatever arrives, the answer is 2xx or 4xx — never 5xx — and every error carries the shape
 * { error: { id, message } }. First at hand-picked endpoints, then at every operation of the OpenAPI document with
 * parameters and bodies generated from its schemas. Fixed seeds: a failure reproduces.
 */
let t: TestApp;
let office: Session;
beforeAll(async () => {
  t = await setupTestApp({ loginRatePerMinute: 100_000, lockoutThreshold: 100_000 });
  office = await login(t.app, 'office');
});
afterAll(async () => { await t.close(); });

/** Per operation of the OpenAPI sweep: ~50 operations × this, well under a minute on two cores. */
const RUNS_PER_OPERATION = 30;

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

// ---- Every route of the OpenAPI document -------------------------------------------------------------------------

type JsonSchema = {
  type?: string | string[]; enum?: unknown[]; const?: unknown; format?: string; pattern?: string; nullable?: boolean;
  minLength?: number; maxLength?: number; minimum?: number; maximum?: number; minItems?: number; maxItems?: number;
  items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[];
};
type Operation = {
  parameters?: { in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** What a hostile client sends anywhere a string goes. */
const hostileText = fc.constantFrom(
  'x\ud800', '\udc00', 'x\u0000y', '%', '%zz', '1e308', '2147483648', '-1', 'NaN', '', ' ', '9999-12-31', '0000-00-00',
  '../..', '<script>', "' OR 1=1--", '😀', 'A'.repeat(5000), '419001000000/..', 'true',
  b64([2147483648, 'x', '00000000-0000-4000-8000-000000000000']), b64([1e308, 'x\u0000', 'nope']), b64('1e308'), b64(['x\ud800', 1]),
);
const hostileValue = fc.oneof(hostileText, fc.constantFrom(1e308, -1e308, 2 ** 53, -1, 0, 1.5, true, null, [], {}, ['x'], { a: 1 }));

/** Valid-looking values from the schema, each now and then replaced by something hostile. */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: validish(schema, depth) }, { weight: 1, arbitrary: hostileValue });
}
function validish(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(a, depth + 1)));
  if (schema.allOf?.length) return fromSchema(Object.assign({}, ...schema.allOf), depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = [schema.type ?? 'string'].flat().filter((x) => x !== 'null');
  const base = fc.oneof(...types.map((ty) => ofType(ty, schema, depth)));
  return schema.nullable || [schema.type].flat().includes('null') ? fc.option(base, { nil: null }) : base;
}
function ofType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'integer': return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e9), max: Math.min(schema.maximum ?? 100_000, 1e9) });
    case 'number': return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean': return fc.boolean();
    case 'array': return depth > 4 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      if (depth > 4 || !schema.properties) return fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 2 });
      const required = schema.required ?? [];
      return fc.record(Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, fromSchema(v, depth + 1)])), {
        requiredKeys: required.filter((k) => k in schema.properties!),
      });
    }
    default: {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern)).filter((x) => x.length <= (schema.maxLength ?? 200));
        } catch {
          // a pattern fast-check cannot generate from: plain strings below
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 60) });
    }
  }
}

/** Percent-encoding that also sends a lone surrogate, as its three bytes (what a hostile client can put on the wire). */
function percentEncode(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return text.replace(/\p{Surrogate}|[^\p{Surrogate}]+/gu, (part) => {
    if (!/^\p{Surrogate}$/u.test(part)) return encodeURIComponent(part);
    const u = part.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

/** /api/v1/households/{id} → the path with each parameter filled (percent-encoded: hostile values included). */
function fillPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(params[name]));
}

describe('fuzz: every operation of the OpenAPI document answers 2xx/4xx in the error shape', () => {
  const doc = () => t.app.swagger() as { paths: Record<string, Record<string, Operation>> };

  it('lists every route (the document is the source of the fuzzed operations)', () => {
    const ops = Object.entries(doc().paths).flatMap(([p, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.length).toBeGreaterThan(45);
    expect(ops).toContain('POST /api/v1/households');
    expect(ops).toContain('GET /api/v1/coverage/unlinked');
  });

  it('generated parameters and bodies, as a logged-in office user with the CSRF header', async () => {
    let session = office;
    let seed = 1;
    for (const [path, ops] of Object.entries(doc().paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters ?? [];
        const record = (where: 'path' | 'query') => fc.record(
          Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, fromSchema(p.schema)])),
          { requiredKeys: params.filter((p) => p.in === where && (p.required || where === 'path')).map((p) => p.name) },
        );
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        const body = bodySchema ? fc.oneof({ weight: 5, arbitrary: fromSchema(bodySchema) }, { weight: 1, arbitrary: fc.constant(undefined) }) : fc.constant(undefined);
        await fc.assert(fc.asyncProperty(record('path'), record('query'), body, async (pathParams, query, payload) => {
          const url = fillPath(path, pathParams);
          const qs = Object.entries(query).map(([k, v]) => `${k}=${percentEncode(v)}`).join('&');
          const res = await t.app.inject({
            method: method.toUpperCase() as 'GET', url: `${url}${qs ? `?${qs}` : ''}`,
            headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
          });
          checkShape(res, `${method.toUpperCase()} ${url}?${qs} ${JSON.stringify(payload)?.slice(0, 300)}`);
          // A generated logout that worked ends the session the rest of the run uses.
          if (path === '/api/v1/auth/logout' && res.statusCode === 200) session = await login(t.app, 'office');
        }), { numRuns: RUNS_PER_OPERATION, seed: seed++, endOnFailure: true });
      }
    }
  }, 120_000);
});
