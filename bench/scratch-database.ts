import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPool, type Database } from '../server/src/db/client.ts';
import { startEmbedded } from '../server/src/db/embedded.ts';

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
 * database on the server behind DATABASE_URL — created now, dropped by `drop()`.
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
  return {
    database,
    embedded: embedded !== null,
    async drop() {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
