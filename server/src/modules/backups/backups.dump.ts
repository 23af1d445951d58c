import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { appliedMigration } from '../../db/migrate.ts';
import { BACKUP_FORMAT, BACKUP_MAGIC, BACKUP_SUFFIX, PARTIAL_SUFFIX, type BackupManifest, type TableManifest } from './backups.format.ts';

export interface TableInfo { name: string; columns: string[]; orderBy: string[] }

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Our tables (the schema the app lives in: `current_schema()`), in load order. pg-boss keeps its queue in its own
 * schema `pgboss`, which is left out on purpose: its rows are in-flight queue state (jobs a dead process held, cron
 * slots already taken) that would replay or block jobs after a restore, and pg-boss recreates its schema at start.
 * drizzle's `drizzle` schema is left out too: a restore rebuilds it by running the migrations.
 */
export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; columns: string[]; pk: string[] | null }>(`
    SELECT c.relname AS name,
      array_agg(a.attname::text ORDER BY a.attnum) AS columns,
      (SELECT array_agg(pa.attname::text ORDER BY k.ord)
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
    GROUP BY c.oid, c.relname
    ORDER BY c.relname`);
  const { rows: fks } = await client.query<{ child: string; parent: string }>(`
    SELECT DISTINCT t.relname AS child, p.relname AS parent
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
    WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND c.conrelid <> c.confrelid`);
  // Parents first (depth-first over foreign keys), names sorted so the order is the same on every run.
  const byName = new Map(rows.map((r) => [r.name, r]));
  const parents = new Map<string, string[]>();
  for (const { child, parent } of fks) {
    if (byName.has(child) && byName.has(parent)) parents.set(child, [...(parents.get(child) ?? []), parent]);
  }
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const p of (parents.get(name) ?? []).sort()) visit(p);
    const r = byName.get(name)!;
    // Rows in primary-key order so the checksum of a table's content does not depend on its physical order.
    ordered.push({ name, columns: r.columns, orderBy: r.pk ?? r.columns });
  };
  for (const r of rows) visit(r.name);
  return ordered;
}

export function copyOutSql(t: TableInfo): string {
  return `COPY (SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)} ORDER BY ${t.orderBy.map(ident).join(', ')}) TO STDOUT`;
}

export function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Streams one table's COPY text to `out` (when given), returning its row count and SHA-256. */
export async function copyTable(client: pg.ClientBase, t: TableInfo, out: NodeJS.WritableStream | null): Promise<TableManifest> {
  const hash = createHash('sha256');
  let rows = 0;
  const stream = client.query(copyTo(copyOutSql(t)));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    rows += countLines(chunk);
    if (out && !out.write(chunk)) await once(out, 'drain');
  }
  return { name: t.name, columns: t.columns, rows, sha256: hash.digest('hex') };
}

async function fsyncFile(file: string): Promise<void> {
  const h = await open(file, 'r');
  try { await h.sync(); } finally { await h.close(); }
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename durable; some filesystems refuse fsync on a directory, which only weakens that guarantee.
  await fsyncFile(dir).catch(() => {});
}

/** `lianxin-20261130-023000-123` in Shanghai time: the name sorts by time and reads as the office's clock. */
export function backupName(now: Date): string {
  const sh = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `lianxin-${sh.slice(0, 10).replace(/-/g, '')}-${sh.slice(11, 19).replace(/:/g, '')}-${sh.slice(20, 23)}`;
}

export interface BackupProgress { tablesDone: number; tables: number }

/**
 * A consistent backup while the app keeps writing: every table is read inside one REPEATABLE READ READ ONLY
 * transaction (one snapshot), streamed through COPY into gzip. The file is assembled under a `.partial` name,
 * fsync'd, then renamed — so only a complete, flushed backup ever carries the final name.
 */
export async function writeBackup(
  pool: pg.Pool, dir: string, opts: { now?: Date; onProgress?: (p: BackupProgress) => void | Promise<void> } = {},
): Promise<{ file: string; manifest: BackupManifest }> {
  // Backups hold the whole database (personal data encrypted, the rest not): owner only.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = opts.now ?? new Date();
  const name = backupName(now);
  const dataFile = path.join(dir, `${name}.data${PARTIAL_SUFFIX}`);
  const partial = path.join(dir, `${name}${BACKUP_SUFFIX}${PARTIAL_SUFFIX}`);
  const final = path.join(dir, `${name}${BACKUP_SUFFIX}`);
  const migration = await appliedMigration({ pool });
  if (!migration) throw new Error('the database has no applied migrations: nothing to back up');
  const client = await pool.connect();
  let manifest: BackupManifest;
  try {
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(dataFile, { flags: 'wx', mode: 0o600 }));
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: [version] } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      const tables = await listTables(client);
      const done: TableManifest[] = [];
      for (const t of tables) {
        gzip.write(`TABLE ${t.name}\n`);
        done.push(await copyTable(client, t, gzip));
        gzip.write('\\.\n');
        await opts.onProgress?.({ tablesDone: done.length, tables: tables.length });
      }
      const { rows: seqs } = await client.query<{ name: string; last_value: string }>(
        'SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY 1');
      await client.query('COMMIT');
      gzip.end('END\n');
      await written;
      manifest = {
        format: BACKUP_FORMAT,
        createdAt: now.toISOString(),
        migration,
        serverVersion: version!.v,
        tables: done,
        sequences: seqs.map((s) => ({ name: s.name, lastValue: Number(s.last_value) })),
      };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      gzip.destroy();
      await written.catch(() => {});
      throw e;
    }
  } catch (e) {
    await rm(dataFile, { force: true });
    throw e;
  } finally {
    client.release();
  }
  try {
    // The manifest as its own gzip member in front of the data: a listing reads only it.
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    out.write(gzipSync(`${BACKUP_MAGIC} ${BACKUP_FORMAT} ${JSON.stringify(manifest)}\n`));
    await pipeline(createReadStream(dataFile), out);
    await fsyncFile(partial);
    await rename(partial, final);
    await fsyncDir(dir);
  } finally {
    await rm(dataFile, { force: true });
    await rm(partial, { force: true });
  }
  return { file: final, manifest };
}
