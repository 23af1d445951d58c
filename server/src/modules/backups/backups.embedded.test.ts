import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openPool } from '../../db/client.ts';
import { startEmbedded } from '../../db/embedded.ts';
import { contentChecksums, verifyBackup } from './backups.service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'lianxin-backup-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = (dataDir: string): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir,
    SESSION_SECRET: 'embedded-backup-test-secret-0123456789',
    LIANXIN_KEYRING: JSON.stringify({ current: 't1', keys: { t1: Buffer.alloc(32, 5).toString('base64') } }),
  };
  delete e.DATABASE_URL;
  delete e.LIANXIN_BACKUP_DIR;
  return e;
};

function run(script: string, args: string[], dataDir: string) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../../cli', script), ...args], { env: env(dataDir) });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('backups with the embedded engine', () => {
  it('npm run backup attaches to a running server\'s embedded PostgreSQL, leaves it running, and npm run restore loads the file into an empty DATA_DIR', async () => {
    const source = path.join(root, 'source');
    // The "server": opens the database the way main.ts does, migrates and loads the organization tree, keeps running.
    const script = `
      import { loadConfig } from ${JSON.stringify(path.join(here, '../../config.ts'))};
      import { openDatabase } from ${JSON.stringify(path.join(here, '../../db/database.ts'))};
      import { runMigrations } from ${JSON.stringify(path.join(here, '../../db/migrate.ts'))};
      import { seedBase } from ${JSON.stringify(path.join(here, '../../seed/index.ts'))};
      const config = loadConfig();
      const database = await openDatabase(config, () => {});
      await runMigrations(database);
      await seedBase(database.pool, config);
      process.on('SIGTERM', async () => { await database.close(); process.exit(0); });
      process.stdout.write('up\\n');
      setInterval(() => {}, 1000);`;
    const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: env(source), stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (d: Buffer) => d.toString().includes('up') && resolve());
        server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const postmaster = Number(readFileSync(path.join(source, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

      const backup = await run('backup.ts', [], source);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.err).toMatch(/attaching to the server of process/);
      const file = backup.out.trim().split('\n').at(-1)!;
      expect(path.dirname(file)).toBe(path.join(source, 'backups'));
      expect(alive(postmaster)).toBe(true);
      const manifest = await verifyBackup(file);

      const target = path.join(root, 'target');
      const restore = await run('restore.ts', [file], target);
      expect(restore.code, restore.err).toBe(0);
      const again = await run('restore.ts', [file], target);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/不是空的/);

      const pg = await startEmbedded({ dir: path.join(target, 'postgres'), log: () => {} });
      const database = openPool(pg.url, 'embedded', 2);
      try {
        const restored = await contentChecksums(database);
        for (const t of manifest.tables) expect(restored[t.name], t.name).toEqual({ rows: t.rows, sha256: t.sha256 });
        expect(manifest.tables.find((t) => t.name === 'orgs')!.rows).toBeGreaterThan(500);
      } finally {
        await database.close();
        await pg.stop();
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    expect(existsSync(path.join(source, 'postgres-owner.json'))).toBe(false);
  }, 180_000);
});
