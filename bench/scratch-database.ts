import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { openPool, type Database } from '../server/src/db/client.ts';
import { startEmbedded } from '../server/src/db/embedded.ts';
import { runMigrations } from '../server/src/db/migrate.ts';
import { seedBase } from '../server/src/seed/index.ts';

/** The demo accounts' password and the keyring of every benchmark database (throwaway data only). */
export const BENCH_PASSWORD = 'lianxin-demo-2026';
export const BENCH_KEYRING = { current: 'b1', keys: { b1: Buffer.alloc(32, 5).toString('base64') } };

/** p50 and p99 of a list of timings (ms), rounded to 0.01 ms. */
export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: +q(0.5).toFixed(2), p99: +q(0.99).toFixed(2) };
}

export interface ScratchDatabase {
  database: Database;
  /** True on the embedded PostgreSQL (started for this run), false on DATABASE_URL. */
  embedded: boolean;
  /** Drops the database (and stops the embedded server, deleting its directory). */
  drop(): Promise<void>;
}

/**
 * A throwaway database for one benchmark: a fresh embedded PostgreSQL in a temporary directory by default, or a new
 * database on the server behind DATABASE_URL — created now, migrated and seeded with the org tree and the demo
 * accounts (BENCH_PASSWORD), dropped by `drop()`.
 */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const dir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), `lianxin-bench-${label}-`));
  const embedded = dir ? await startEmbedded({ dir: path.join(dir, 'postgres'), ephemeral: true, log: () => {} }) : null;
  const adminUrl = process.env.DATABASE_URL ?? embedded!.url;
  const name = `lx_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  const database = openPool(u.toString(), embedded ? 'embedded' : 'url', 10);
  const drop = async () => {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runMigrations(database);
    await seedBase(database.pool, { demoPassword: BENCH_PASSWORD });
  } catch (e) {
    await drop();
    throw e;
  }
  return { database, embedded: embedded !== null, drop };
}

/** The app on a benchmark database, as the tests build it (app.inject, no listening); the login rate limit is lifted. */
export async function benchApp(database: Database): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: '/nonexistent-lianxin-bench', SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    LIANXIN_KEYRING: JSON.stringify(BENCH_KEYRING), LIANXIN_DEMO_PASSWORD: BENCH_PASSWORD, LIANXIN_LOGIN_RATE_PER_MINUTE: '1000',
  });
  return buildApp({ config, database });
}

/** The session cookie of a demo account logged in through the API. */
export async function benchLogin(app: FastifyInstance, username: string): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: BENCH_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login ${username}: ${login.statusCode} ${login.body}`);
  return `lx_session=${login.cookies.find((c) => c.name === 'lx_session')!.value}`;
}
