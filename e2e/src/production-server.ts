import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A zone as an operator starts it: `server/src/main.ts` with NODE_ENV=production, generated secrets and keyring, no demo
 * data, and its own fresh database — a new database on the server behind DATABASE_URL when it is set (dropped at
 * stop), else a new DATA_DIR with the embedded engine (deleted at stop). Nothing is shared with the demo server the
 * other specs use. `createAdmin` runs the real `create-admin` command against it, as the README tells an operator to.
 */
export interface ProductionServer {
  url: string;
  /** Runs `create-admin <username>` against this zone's database; returns the one-time password (its last line). */
  createAdmin(username: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** Runs a server command (`node --import tsx <script> …args`) to its end; rejects with its output when it fails. */
function runCommand(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} exited ${code}: ${err || out}`))));
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`production server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`production server not ready within 120 s:\n${log()}`);
}

/**
 * Starts a fresh production zone. `admin`: run create-admin for this username *before* the server starts (works with
 * either engine: with the embedded one, the command has the data directory to itself) and return its password.
 */
export async function startProductionServer(opts: { admin?: string } = {}): Promise<ProductionServer & { adminPassword: string | null }> {
  const adminUrl = process.env.DATABASE_URL || null;
  const dbName = `lx_e2e_prod_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lianxin-e2e-prod-'));
  if (adminUrl) await adminQuery(adminUrl, `CREATE DATABASE ${dbName}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    ...(adminUrl ? { DATABASE_URL: withDatabase(adminUrl, dbName) } : {}),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LIANXIN_KEYRING: JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
    LIANXIN_PUBLIC_URL: url,
    ...(process.env.LIANXIN_WEB_DIST ? { LIANXIN_WEB_DIST: process.env.LIANXIN_WEB_DIST } : {}),
  };
  const createAdmin = async (username: string) => {
    const out = await runCommand('server/src/cli/create-admin.ts', [username], env);
    return out.trimEnd().split('\n').pop()!;
  };
  const adminPassword = opts.admin ? await createAdmin(opts.admin) : null;

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const cleanup = async () => {
    if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // main.ts closes the app and the embedded PostgreSQL on SIGTERM
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await cleanup();
  };
  try {
    await waitReady(url, child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, adminPassword, createAdmin, stop };
}
