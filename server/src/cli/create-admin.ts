/**
 * `npm run create-admin -- <username>`: the way into a fresh zone (and back in when the admin's password is lost).
 * Creates the admin account — or resets an existing account's password, enables and unlocks it and ends its sessions —
 * with a one-time password that must be changed at first login, printed alone on the last line (scripts read it there).
 * Works with either engine and with NODE_ENV=production; migrates and loads the org tree first when the database is new.
 */
import { loadConfigOrReport } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { createOrResetAdmin, USERNAME_PATTERN } from '../modules/auth/auth.service.ts';
import { seedBase } from '../seed/index.ts';

function fail(message: string, code = 1): never {
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1) fail('用法 / usage: npm run create-admin -- <用户名>');
  const username = args[0]!.trim();
  if (!USERNAME_PATTERN.test(username)) fail(`用户名 "${username}" 无效：须为 3–64 个字母、数字或 . _ - @（或 11 位手机号）`);
  const config = loadConfigOrReport('create-admin: ');
  if (!config) process.exit(2);
  const log = (m: string) => process.stdout.write(`[create-admin] ${m}\n`);
  const database = await openDatabase(config, log);
  try {
    await runMigrations(database);
    // The org tree only: a production zone never gets demo accounts, and this command never adds them anywhere.
    const seeded = await seedBase(database.pool, { demoPassword: null });
    if (seeded.orgs > 0) log(`loaded ${seeded.orgs} organizations`);
    const { created, password } = await createOrResetAdmin(database.db, username);
    log(created
      ? `created admin account "${username}" (系统管理员, whole zone)`
      : `reset the password of "${username}", enabled and unlocked it, and ended its sessions`);
    log('one-time password (must be changed at first login), on the next line:');
    process.stdout.write(`${password}\n`);
  } catch (e) {
    // Not fail(): the database (an embedded server) is closed first, in finally.
    if (!(e instanceof AppError)) throw e;
    process.stderr.write(`create-admin: ${e.message}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`create-admin failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
