import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client.ts';

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Several app copies may boot at once: one migrates, the others wait on this lock.
const MIGRATION_LOCK = 4190010001;

export async function runMigrations(database: Database): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(database.db, { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

/** The tag of the latest applied migration (drizzle records hashes and timestamps; we map back to the journal). */
export async function appliedMigration(database: Database): Promise<string | null> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
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
