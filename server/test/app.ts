import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type BuildOptions } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openPool, type Database } from '../src/db/client.ts';
import { TEST_DEMO_PASSWORD, withDatabase } from './db-server.ts';

export { TEST_DEMO_PASSWORD };

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

let counter = 0;

/** A fresh database cloned from the migrated, seeded template, and an app on it (never listening). */
export async function setupTestApp(
  overrides: Partial<Config> = {},
  opts: { logger?: BuildOptions['logger']; beforeReady?: (app: FastifyInstance, database: Database) => void } = {},
): Promise<TestApp> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  // The template's name is unique per run; the suffix lets global teardown find clones a crashed file left.
  const name = `lx_t_${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}_${template}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const database = openPool(withDatabase(adminUrl, name), inject('pgEngine'), 5);
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: '/nonexistent-lianxin-test',
      SESSION_SECRET: 'test-session-secret-0123456789abcdef',
      LIANXIN_KEYRING: JSON.stringify({ current: 't1', keys: { t1: Buffer.alloc(32, 7).toString('base64') } }),
      LIANXIN_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    }),
    ...overrides,
  };
  const app = await buildApp({ config, database, logger: opts.logger });
  opts.beforeReady?.(app, database);
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface Session { cookie: string; csrf: string; res: LightMyRequestResponse }

export async function login(app: FastifyInstance, username: string, password = TEST_DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'lx_session')!;
  return { cookie: `lx_session=${c.value}`, csrf: (res.json() as { data: { csrfToken: string } }).data.csrfToken, res };
}

/** The seven demo roles, each a test can log in as. */
export const DEMO_ROLES = ['office', 'town', 'secretary', 'member', 'department', 'leader', 'admin'] as const;

/**
 * Villages for scope tests: `own` — the secretary's (and the member's) village, the first of 克井镇; `neighbour` — the
 * second village of 克井镇 (same town, another branch); `otherTown` — the first village of 五龙口镇.
 */
export async function scopeVillages(t: TestApp): Promise<{ own: string; neighbour: string; otherTown: string }> {
  const { rows } = await t.database.pool.query<{ code: string; town: string }>(`
    SELECT v.code, p.code AS town FROM orgs v JOIN orgs p ON p.id = v.parent_id
    WHERE v.level = 'village' AND p.code IN ('419001100000', '419001101000') ORDER BY v.sort_key`);
  const kejing = rows.filter((r) => r.town === '419001100000');
  return { own: kejing[0]!.code, neighbour: kejing[1]!.code, otherTown: rows.find((r) => r.town === '419001101000')!.code };
}
