import { buildApp } from './app.ts';
import { DEMO_PASSWORD_DEFAULT, loadConfigOrReport } from './config.ts';
import { openDatabase } from './db/database.ts';
import { runMigrations } from './db/migrate.ts';
import { seedBase } from './seed/index.ts';
import { generateDemo } from './seed/demo/generate.ts';
import { fillContactPhoneTails } from './modules/businesses/businesses.service.ts';
import { fillPhoneTails } from './modules/households/households.service.ts';
import { fillNameInitials } from './modules/links/links.service.ts';
import { failInterruptedJobs } from './modules/imports/imports.service.ts';
import { startJobs, type JobsRunner } from './modules/jobs/jobs.service.ts';

/** config → database (embedded or URL) → migrate → first-start seed → buildApp → listen; stops cleanly on signals. */
async function main(): Promise<void> {
  const config = loadConfigOrReport();
  if (!config) process.exit(2);
  const log = (m: string) => process.stdout.write(`[lianxin] ${m}\n`);
  const t0 = Date.now();
  const database = await openDatabase(config, log);
  log(`database: ${database.engine === 'embedded' ? `embedded PostgreSQL in ${database.embedded!.dataDir}` : 'DATABASE_URL'}`);
  let jobs: JobsRunner | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: shutting down`);
    await app?.close().catch(() => {});
    await jobs?.stop().catch((e: unknown) => log(`stopping jobs failed: ${String(e)}`));
    await database.close().catch((e: unknown) => log(`database close failed: ${String(e)}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    await runMigrations(database);
    // One app process runs imports (in-process queue): anything still "running" in the database died with a previous process.
    const interrupted = await failInterruptedJobs(database.db);
    if (interrupted) log(`marked ${interrupted} interrupted import job(s) as failed; nothing of them was written`);
    // Scheduled jobs on pg-boss (modules/jobs): the nightly backup and, now and every 6 hours, the retention of import
    // jobs and their error rows and of spent login-failure counts.
    jobs = await startJobs(database, config, log);
    const seeded = await seedBase(database.pool, config);
    if (seeded.orgs > 0) {
      log(`first start: loaded ${seeded.orgs} organizations (Jiyuan: 16 towns/streets, 557 villages/communities)`);
      if (!config.production) {
        // The first start's default scale; `npm run seed -- --scale town|full --reset` for more.
        await generateDemo(database.pool, { scale: 'demo', keyring: config.keyring, log });
      }
    }
    // Phone tails (search by 尾号) for rows written before migration 0008; every writer stores them since.
    const tails = await fillPhoneTails(database.db, config.keyring) + await fillContactPhoneTails(database.db, config.keyring);
    if (tails) log(`stored the phone tail of ${tails} resident(s) and business(es) written before search by tail existed`);
    const named = await fillNameInitials(database.db);
    if (named) log(`stored the pinyin initials of ${named} member(s) and helper(s) written before they were searchable by them`);
    app = await buildApp({ config, database, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
    const address = await app.listen({ port: config.port, host: config.host });
    log(`ready in ${Date.now() - t0} ms at ${address.replace('0.0.0.0', 'localhost')}  (API docs: /api/docs)`
      + (config.host === '127.0.0.1' ? '; this machine only (HOST=0.0.0.0 opens it to the network)' : ''));
    if (config.demoPassword) {
      const shown = config.demoPassword === DEMO_PASSWORD_DEFAULT ? config.demoPassword : '(LIANXIN_DEMO_PASSWORD)';
      log(`log in at http://localhost:${config.port}/login as office | town | secretary | member | department | leader | admin, password ${shown}`);
    }
  } catch (e) {
    log(`startup failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    await app?.close().catch(() => {});
    await jobs?.stop().catch(() => {});
    await database.close().catch(() => {});
    process.exit(1);
  }
}

void main();
