import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_SUFFIX, PARTIAL_SUFFIX, readManifest } from './backups.format.ts';

export { writeBackup as takeBackup, type BackupProgress } from './backups.dump.ts';
export { contentChecksums, restoreBackup, RestoreRefused, verifyBackup } from './backups.restore.ts';
export { BackupFileError, type BackupManifest } from './backups.format.ts';

export interface BackupEntry {
  name: string;
  file: string;
  size: number;
  createdAt: string;
  migration: string;
  tables: number;
  rows: number;
}

/**
 * Complete backups in `dir`, newest first. Complete = carries the final name (only a flushed file is renamed to it) and
 * its manifest reads; a `.partial` left by a killed backup is never listed. Full checksums are checked at restore.
 */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    // No directory yet (no backup taken), or something else in its place (the failing run says so): none to list.
    if (['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return [];
    throw e;
  }
  const out: BackupEntry[] = [];
  for (const name of names.filter((n) => n.endsWith(BACKUP_SUFFIX))) {
    const file = path.join(dir, name);
    try {
      const [m, st] = await Promise.all([readManifest(file), stat(file)]);
      out.push({
        name, file, size: st.size, createdAt: m.createdAt, migration: m.migration,
        tables: m.tables.length, rows: m.tables.reduce((n, t) => n + t.rows, 0),
      });
    } catch {
      // Not ours or unreadable: not offered as a backup.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

const DAY_MS = 24 * 3600_000;

/**
 * Keeps the newest `keep` complete backups (keep ≥ 1, so the newest is never deleted) and removes `.partial` files
 * older than a day (a backup killed midway; a younger one may still be being written by another process).
 */
export async function pruneBackups(dir: string, keep: number, now = new Date()): Promise<string[]> {
  const removed: string[] = [];
  const complete = await listBackups(dir);
  for (const b of complete.slice(Math.max(1, keep))) {
    await rm(b.file, { force: true });
    removed.push(b.name);
  }
  let names: string[] = [];
  try { names = await readdir(dir); } catch { /* no directory yet: nothing to prune */ }
  for (const name of names.filter((n) => n.endsWith(PARTIAL_SUFFIX))) {
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (st && now.getTime() - st.mtimeMs > DAY_MS) {
      await rm(file, { force: true });
      removed.push(name);
    }
  }
  return removed;
}
