import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPool } from '../src/db/client.ts';
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { seedBase } from '../src/seed/index.ts';

/**
 * One PostgreSQL per test run — the embedded one by default, or the server behind DATABASE_URL (CI runs both) —
 * with a template database that is migrated and seeded once; every test file clones it (CREATE DATABASE … TEMPLATE).
 */
export const TEST_DEMO_PASSWORD = process.env.LIANXIN_DEMO_PASSWORD ?? 'lianxin-demo-2026';

export interface TestDbServer {
  /** URL of the maintenance database on the server (databases are created from here). */
  adminUrl: string;
  template: string;
  engine: 'embedded' | 'url';
  stop(): Promise<void>;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

export async function startTestDbServer(): Promise<TestDbServer> {
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dir = mkdtempSync(path.join(tmpdir(), 'lianxin-test-'));
    embedded = await startEmbedded({ dir: path.join(dir, 'postgres'), ephemeral: true, log: () => {} });
    adminUrl = embedded.url;
  }
  const template = `lx_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const database = openPool(withDatabase(adminUrl, template), embedded ? 'embedded' : 'url', 2);
  await runMigrations(database);
  await seedBase(database.pool, { demoPassword: TEST_DEMO_PASSWORD });
  await database.close();
  return {
    adminUrl,
    template,
    engine: embedded ? 'embedded' : 'url',
    async stop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // Clones end with the template's name (test/app.ts): also drop those a crashed test file left behind.
      const { rows } = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'lx_t_%' AND right(datname, length($1)) = $1`, [template]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await c.end();
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
