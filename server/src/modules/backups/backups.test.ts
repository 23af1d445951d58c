import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openPool, type Database } from '../../db/client.ts';
import { appliedMigration, migrationTags, runMigrationsUpTo } from '../../db/migrate.ts';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { withDatabase } from '../../../test/db-server.ts';
import { householdBody } from '../../../test/factories.ts';
import {
  BackupFileError, contentChecksums, listBackups, pruneBackups, restoreBackup, RestoreRefused, takeBackup, verifyBackup,
} from './backups.service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let t: TestApp;
let dir: string;
let secretary: Session;
let village: string;
const databases: string[] = [];

beforeAll(async () => {
  t = await setupTestApp();
  dir = mkdtempSync(path.join(tmpdir(), 'lianxin-backups-'));
  secretary = await login(t.app, 'secretary');
  village = (await scopeVillages(t)).own;
});
afterAll(async () => {
  const c = new pg.Client(inject('pgAdminUrl'));
  await c.connect();
  for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
  await c.end();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh, empty database on the test server (dropped after the file). */
async function emptyDatabase(): Promise<Database> {
  const name = `lx_restore_${databases.length}_${process.pid}_${Date.now().toString(36)}`;
  const c = new pg.Client(inject('pgAdminUrl'));
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  databases.push(name);
  return openPool(withDatabase(inject('pgAdminUrl'), name), inject('pgEngine'), 3);
}

async function addHousehold(): Promise<number> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/households', payload: householdBody(village),
    headers: { cookie: secretary.cookie, 'x-csrf-token': secretary.csrf },
  });
  return res.statusCode;
}

describe('backups', () => {
  it('a backup taken under write load restores into an empty database with the row counts and checksums of its snapshot', async () => {
    for (let i = 0; i < 5; i++) expect(await addHousehold()).toBe(201);
    // Writers through the app (households, residents, rollups, audit) and straight SQL, until the backup is done.
    let writing = true;
    let written = 0;
    const writers = [
      (async () => { while (writing) { expect(await addHousehold()).toBe(201); written++; } })(),
      (async () => {
        while (writing) {
          await t.database.pool.query("INSERT INTO audit_events (action, after) VALUES ('test.load', '{\"n\": 1}')");
          written++;
        }
      })(),
    ];
    const { file, manifest } = await takeBackup(t.database.pool, dir, {
      // Give the writers time to commit between tables: the snapshot must not see any of it.
      onProgress: () => new Promise((r) => setTimeout(r, 20)),
    });
    writing = false;
    await Promise.all(writers);
    expect(written).toBeGreaterThan(0);

    expect(path.basename(file)).toMatch(/^lianxin-\d{8}-\d{6}-\d{3}\.lxbackup\.gz$/);
    const live = await contentChecksums(t.database);
    const byName = Object.fromEntries(manifest.tables.map((x) => [x.name, x]));
    // The writes went on while the backup ran: the live tables moved past the snapshot.
    expect(live.audit_events!.rows).toBeGreaterThan(byName.audit_events!.rows);
    expect(Object.keys(byName)).not.toContain('__drizzle_migrations');
    expect(byName.households!.rows).toBeGreaterThanOrEqual(5);
    // Parents before children: orgs before households before residents.
    const order = manifest.tables.map((x) => x.name);
    expect(order.indexOf('orgs')).toBeLessThan(order.indexOf('households'));
    expect(order.indexOf('households')).toBeLessThan(order.indexOf('residents'));
    // Every household row of the snapshot is whole with its residents (one snapshot across tables).
    expect(byName.residents!.rows).toBe(byName.households!.rows * 2);

    const target = await emptyDatabase();
    try {
      await restoreBackup(target, file);
      const restored = await contentChecksums(target);
      expect(Object.keys(restored).sort()).toEqual(Object.keys(byName).sort());
      for (const x of manifest.tables) expect(restored[x.name], x.name).toEqual({ rows: x.rows, sha256: x.sha256 });
      // Ids keep counting past the restored ones, and the audit trail still refuses changes.
      const { rows: [next] } = await target.pool.query<{ id: number }>("INSERT INTO audit_events (action) VALUES ('after.restore') RETURNING id");
      const { rows: [max] } = await target.pool.query<{ m: number }>("SELECT max(id) AS m FROM audit_events WHERE action <> 'after.restore'");
      expect(next!.id).toBeGreaterThan(max!.m);
      await expect(target.pool.query('DELETE FROM audit_events')).rejects.toThrow();
      // Generated columns are computed again by the database.
      const { rows: [norm] } = await target.pool.query<{ n: string }>('SELECT address_norm AS n FROM households LIMIT 1');
      expect(norm!.n).toBeTruthy();
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses to restore onto a database that holds data, and writes nothing', async () => {
    const [latest] = await listBackups(dir);
    const before = await contentChecksums(t.database);
    await expect(restoreBackup(t.database, latest!.file)).rejects.toThrow(RestoreRefused);
    await expect(restoreBackup(t.database, latest!.file)).rejects.toThrow(/不是空的/);
    expect(await contentChecksums(t.database)).toEqual(before);
  }, 60_000);

  it('npm run restore exits non-zero with the reason when the target is not empty, and the backup CLI prints the path on its last line', async () => {
    const env = {
      ...process.env, NODE_ENV: 'test', DATABASE_URL: withDatabase(inject('pgAdminUrl'), (await t.database.pool.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d),
      LIANXIN_BACKUP_DIR: dir, SESSION_SECRET: t.config.sessionSecret, LIANXIN_KEYRING: JSON.stringify(t.config.keyring),
    };
    const run = (script: string, args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../../cli', script), ...args], { env });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      p.on('exit', (code) => resolve({ code, out, err }));
    });
    const backup = await run('backup.ts', []);
    expect(backup.code, backup.err).toBe(0);
    const last = backup.out.trim().split('\n').at(-1)!;
    expect(last).toMatch(/\.lxbackup\.gz$/);
    expect(existsSync(last)).toBe(true);
    const restore = await run('restore.ts', [last]);
    expect(restore.code, restore.err).toBe(1);
    expect(restore.err).toMatch(/不是空的/);
  }, 120_000);

  it('kill -9 of a backup midway leaves the earlier backups intact and its partial file is never listed, verified or restored', async () => {
    const earlier = await listBackups(dir);
    expect(earlier.length).toBeGreaterThan(0);
    // A backup in another process, slowed down between tables, killed once it has started writing.
    const url = withDatabase(inject('pgAdminUrl'), (await t.database.pool.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d);
    const script = `
      import pg from 'pg';
      import { takeBackup } from ${JSON.stringify(path.join(here, 'backups.service.ts'))};
      const pool = new pg.Pool({ connectionString: ${JSON.stringify(url)} });
      await takeBackup(pool, ${JSON.stringify(dir)}, { onProgress: async (p) => {
        if (p.tablesDone === 3) process.stdout.write('midway\\n');
        await new Promise((r) => setTimeout(r, 200));
      } });
      process.stdout.write('finished\\n');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('midway')) resolve(); if (d.toString().includes('finished')) reject(new Error('finished before the kill')); });
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const partials = readdirSync(dir).filter((n) => n.endsWith('.partial'));
    expect(partials.length).toBeGreaterThan(0);
    expect(await listBackups(dir)).toEqual(earlier);
    for (const b of earlier) await verifyBackup(b.file);
    for (const p of partials) {
      await expect(verifyBackup(path.join(dir, p))).rejects.toThrow(BackupFileError);
      const target = await emptyDatabase();
      try {
        await expect(restoreBackup(target, path.join(dir, p))).rejects.toThrow(BackupFileError);
        // Nothing was created in the target: the file is checked before any migration runs.
        const { rows } = await target.pool.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'");
        expect(rows).toEqual([]);
      } finally {
        await target.close();
      }
    }
    // A file whose name looks complete but whose content was cut is refused too (checksums, not names, decide).
    const cut = path.join(dir, 'lianxin-20000101-000000-000.lxbackup.gz');
    writeFileSync(cut, readFileSync(earlier[0]!.file).subarray(0, Math.floor(statSync(earlier[0]!.file).size * 0.7)));
    await expect(verifyBackup(cut)).rejects.toThrow(BackupFileError);
    rmSync(cut);
  }, 120_000);

  it('restores a backup taken at an older schema: migrates to its version, loads it, then runs the newer migrations', async () => {
    const tags = migrationTags();
    const older = tags.at(-2)!;
    const source = await emptyDatabase();
    const target = await emptyDatabase();
    const olderDir = mkdtempSync(path.join(tmpdir(), 'lianxin-older-'));
    try {
      await runMigrationsUpTo(source, older);
      await source.pool.query("INSERT INTO audit_events (action) VALUES ('older.schema')");
      const { file, manifest } = await takeBackup(source.pool, olderDir);
      expect(manifest.migration).toBe(older);
      await restoreBackup(target, file);
      expect(await appliedMigration(target)).toBe(tags.at(-1));
      const { rows } = await target.pool.query<{ action: string }>("SELECT action FROM audit_events WHERE action = 'older.schema'");
      expect(rows).toHaveLength(1);
    } finally {
      await source.close();
      await target.close();
      rmSync(olderDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('pruning keeps the newest KEEP complete backups and removes partial files older than a day', async () => {
    const pruneDir = mkdtempSync(path.join(tmpdir(), 'lianxin-prune-'));
    try {
      for (let i = 0; i < 3; i++) await takeBackup(t.database.pool, pruneDir);
      const all = await listBackups(pruneDir);
      expect(all).toHaveLength(3);
      const oldPartial = path.join(pruneDir, 'lianxin-20000101-000000-000.lxbackup.gz.partial');
      const newPartial = path.join(pruneDir, 'lianxin-29990101-000000-000.lxbackup.gz.partial');
      writeFileSync(oldPartial, 'x');
      writeFileSync(newPartial, 'x');
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      utimesSync(oldPartial, twoDaysAgo, twoDaysAgo);
      const removed = await pruneBackups(pruneDir, 2);
      expect(removed.sort()).toEqual([all[2]!.name, path.basename(oldPartial)].sort());
      expect((await listBackups(pruneDir)).map((b) => b.name)).toEqual([all[0]!.name, all[1]!.name]);
      expect(existsSync(newPartial)).toBe(true);
    } finally {
      rmSync(pruneDir, { recursive: true, force: true });
    }
  }, 120_000);
});
