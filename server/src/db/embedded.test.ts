import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from './embedded.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'lianxin-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the embedded server in a separate process (an app) that prints "up" and keeps running until killed. */
async function ownerProcess(pgDir: string, onTerm = '') {
  const script = `
    import { startEmbedded } from ${JSON.stringify(path.join(here, 'embedded.ts'))};
    import pg from 'pg';
    const s = await startEmbedded({ dir: ${JSON.stringify(pgDir)}, log: () => {} });
    const c = new pg.Client(s.url); await c.connect();
    await c.query('CREATE TABLE IF NOT EXISTS survived (v text)'); await c.query("INSERT INTO survived VALUES ('yes')");
    await c.end();
    ${onTerm}
    process.stdout.write('up\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('up') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return child;
}

describe('embedded PostgreSQL', () => {
  it('attaches to the server a live app started on the same DATA_DIR and leaves it running when done', async () => {
    const pgDir = path.join(dir, 'attach', 'postgres');
    const child = await ownerProcess(pgDir, `process.on('SIGTERM', async () => { await s.stop(); process.exit(0); });`);
    try {
      const serverPid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const s = await startEmbedded({ dir: pgDir, log: () => {} });
      expect(s.attached).toBe(true);
      const c = new pg.Client(s.url);
      await c.connect();
      const { rows } = await c.query('SELECT v FROM survived');
      await c.end();
      expect(rows).toEqual([{ v: 'yes' }]);
      await s.stop();
      // The owner's server is untouched: same postmaster, still answering.
      expect(alive(serverPid)).toBe(true);
      const again = new pg.Client(s.url);
      await again.connect();
      await again.query('SELECT 1');
      await again.end();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // The owner removed its file on a clean stop.
    expect(existsSync(path.join(dir, 'attach', 'postgres-owner.json'))).toBe(false);
  }, 60_000);

  it('survives a crash: after kill -9 of the app, the orphaned server is detected, stopped and a new one starts on the same data', async () => {
    const pgDir = path.join(dir, 'postgres');
    // A separate app process starts the server, writes a row, then dies without shutting anything down (its owner file,
    // naming a dead process, stays behind).
    const child = await ownerProcess(pgDir);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const stalePid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(stalePid)).toBe(true);

    const s = await startEmbedded({ dir: pgDir, log: () => {} });
    try {
      expect(s.attached).toBe(false);
      expect(alive(stalePid)).toBe(false);
      const c = new pg.Client(s.url);
      await c.connect();
      const { rows } = await c.query('SELECT v FROM survived');
      const listen = await c.query("SELECT current_setting('listen_addresses') AS l");
      await c.end();
      expect(rows).toEqual([{ v: 'yes' }]);
      expect(listen.rows[0].l).toBe('127.0.0.1');
    } finally {
      await s.stop();
    }
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
    // The generated password is kept in the data dir, readable by its owner only.
    const mode = (await import('node:fs')).statSync(path.join(dir, 'postgres-password')).mode & 0o777;
    expect(mode).toBe(0o600);
  }, 60_000);
});
