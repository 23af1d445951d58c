import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client.ts';

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Several app copies may boot at once: one migrates, the others wait on this lock.
const MIGRATION_LOCK = 4190010001;

export async function runMigrations(database: Database, folder = migrationsFolder): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(database.db, { migrationsFolder: folder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

/** The migration tags this code knows, in order. */
export function migrationTags(): string[] {
  return readJournal().entries.map((e) => e.tag);
}

function readJournal(): Journal {
  return JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
}

/**
 * Applies the migrations up to and including `tag` only (a restore loads a backup into the schema it was taken from,
 * then runs the rest): drizzle applies what its journal lists, so it is given a copy whose journal ends at `tag`.
 */
export async function runMigrationsUpTo(database: Database, tag: string): Promise<void> {
  const journal = readJournal();
  const end = journal.entries.findIndex((e) => e.tag === tag);
  if (end < 0) throw new Error(`unknown migration ${tag}`);
  const folder = mkdtempSync(path.join(tmpdir(), 'lianxin-migrations-'));
  try {
    cpSync(migrationsFolder, folder, { recursive: true });
    writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
    await runMigrations(database, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The tag of the latest applied migration (drizzle records hashes and timestamps; we map back to the journal). */
export async function appliedMigration(database: Pick<Database, 'pool'>): Promise<string | null> {
  const journal = readJournal();
  try {
    const { rows } = await database.pool.query<{ created_at: string }>(
      'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
    );
    if (!rows[0]) return null;
    const when = Number(rows[0].created_at);
    return journal.entries.find((e) => e.when === when)?.tag ?? null;
  } catch {
    return null;
  }
}
