import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, defaultWebDist } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openPool } from '../src/db/client.ts';
import { renameOrg } from '../src/modules/orgs/orgs.restructure.ts';
import { startJobs } from '../src/modules/jobs/jobs.service.ts';
import { startTestDbServer, TEST_DEMO_PASSWORD, withDatabase } from './db-server.ts';

export { TEST_DEMO_PASSWORD };

/** A unit org renamed to hostile markup, so the browser test can prove names render as text. */
export const XSS_ORG_CODE = '419001000000-U03';
export const XSS_ORG_NAME = '<script>alert(1)</script><img src=x onerror=alert(2)>教育系统党委';

/**
 * The real server for end-to-end tests: the same database setup as the integration tests (embedded PostgreSQL, or a
 * fresh database on the server behind DATABASE_URL), the built web app from web/dist, listening on a free port.
 */
export async function startTestServer(): Promise<{ url: string; xssOrgCode: string; stop(): Promise<void> }> {
  const server = await startTestDbServer();
  const name = `lx_t_e2e_${server.template}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${server.template}`);
  await admin.end();
  const database = openPool(withDatabase(server.adminUrl, name), server.engine, 10);
  const backupRoot = mkdtempSync(path.join(tmpdir(), 'lianxin-e2e-backups-'));
  await renameOrg(database.db, null, XSS_ORG_CODE, XSS_ORG_NAME, XSS_ORG_NAME, new Date().toISOString().slice(0, 10));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/nonexistent-lianxin-e2e',
    SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
    LIANXIN_KEYRING: JSON.stringify({ current: 't1', keys: { t1: Buffer.alloc(32, 9).toString('base64') } }),
    LIANXIN_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    LIANXIN_WEB_DIST: process.env.LIANXIN_WEB_DIST ?? defaultWebDist,
    // Browser tests log in many times from one address.
    LIANXIN_LOGIN_RATE_PER_MINUTE: '1000',
    // The browser may play clients behind a reverse proxy on this machine (X-Forwarded-For): the lockout spec's
    // "attacker" then pauses only their own address, never the accounts other specs log in with.
    LIANXIN_TRUST_PROXY: '127.0.0.1',
    // The admin's 立即备份 runs for real (scheduled jobs on, as in main.ts), into a directory of this run.
    LIANXIN_BACKUP_DIR: path.join(backupRoot, 'backups'),
  });
  const jobs = await startJobs(database, config, () => {});
  // Errors (a 500, a response that broke its schema) go to stderr, which the browser tests' output shows: a failing
  // step then says what the server did, not only that a dialog stayed open. Redacted like production logs.
  const app = await buildApp({ config, database, logger: { level: 'error', stream: process.stderr } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    xssOrgCode: XSS_ORG_CODE,
    async stop() {
      await app.close();
      await jobs.stop();
      await database.close();
      await server.stop();
      rmSync(backupRoot, { recursive: true, force: true });
    },
  };
}
