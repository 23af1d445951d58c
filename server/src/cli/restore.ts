import path from 'node:path';
import { loadConfigOrReport } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { BackupFileError, restoreBackup, RestoreRefused } from '../modules/backups/backups.service.ts';

/**
 * `npm run restore -- <file>`: checks the file against its manifest, refuses a target that holds any data, then loads
 * it (see backups.restore.ts). Afterwards `npm start` serves the restored data.
 */
async function main(): Promise<number> {
  const log = (m: string) => process.stderr.write(`[lianxin restore] ${m}\n`);
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    log('usage: npm run restore -- <backup file>');
    return 2;
  }
  const config = loadConfigOrReport();
  if (!config) return 2;
  const database = await openDatabase(config, log);
  try {
    const t0 = Date.now();
    const manifest = await restoreBackup(database, path.resolve(file), log);
    log(`restored the backup of ${manifest.createdAt} in ${Date.now() - t0} ms; start the server with npm start`);
    log('encrypted ID numbers and phones are readable only with the LIANXIN_KEYRING that was in use when they were written');
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefused || e instanceof BackupFileError) log(`refused: ${e.message}`);
    else log(`restore failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 1;
  } finally {
    await database.close().catch(() => {});
  }
}

process.exit(await main());
