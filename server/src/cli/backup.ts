import { loadConfigOrReport } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { takeBackup } from '../modules/backups/backups.service.ts';

/**
 * `npm run backup`: one consistent backup of the whole database while the server keeps serving (it attaches to the
 * running server's embedded PostgreSQL). Progress goes to stderr; the file's path alone is the last line on stdout.
 */
async function main(): Promise<number> {
  const log = (m: string) => process.stderr.write(`[lianxin backup] ${m}\n`);
  const config = loadConfigOrReport();
  if (!config) return 2;
  if (!config.backupDir) {
    log('LIANXIN_BACKUP_DIR is required with DATABASE_URL (where to write the backup); a managed server is better backed up with its own tools: see README "上线"');
    return 2;
  }
  const database = await openDatabase(config, log);
  try {
    const t0 = Date.now();
    const { file, manifest } = await takeBackup(database.pool, config.backupDir, {
      onProgress: (p) => { if (p.tablesDone === p.tables) log(`read ${p.tables} tables`); },
    });
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    log(`${rows} rows in ${manifest.tables.length} tables, schema ${manifest.migration}, ${Date.now() - t0} ms`);
    log('ID numbers and phones inside are encrypted: keep LIANXIN_KEYRING safe, and apart from the backups');
    process.stdout.write(file + '\n');
    return 0;
  } catch (e) {
    log(`backup failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await database.close().catch(() => {});
  }
}

process.exit(await main());
