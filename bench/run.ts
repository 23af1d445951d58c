/**
 * `npm run bench`: the foundation's figures, measured side by side in one run because this machine is shared and
 * noisy — quote medians and ratios, not absolutes.
 *  - cold start to /readyz (first start: initdb + migrate + seed + demo data; restart: existing data dir)
 *  - requests/s and p50/p99 at 10 connections for /healthz (baseline) and an authenticated org read
 *  - memory (PSS) of the server process and of the embedded PostgreSQL's processes
 * Writes bench/results/latest.json and .md (tracked) and foundation-<timestamp>.json and .md (local history).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './write-results.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const password = process.env.LIANXIN_DEMO_PASSWORD ?? 'lianxin-demo-2026';
const base = `http://127.0.0.1:${PORT}`;

function startServer(dataDir: string): ChildProcess {
  const env = { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, LOG_LEVEL: 'warn', LIANXIN_LOGIN_RATE_PER_MINUTE: '1000' };
  delete env.DATABASE_URL;
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitReady(t0: number, timeoutMs = 120_000): Promise<number> {
  while (Date.now() - t0 < timeoutMs) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.status === 200) return Date.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become ready');
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Proportional set size (shared pages split between sharers), in MiB. */
function pssMiB(pid: number): number {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function postgresPids(dataDir: string): number[] {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return [];
  const master = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const pids = [master];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === master) pids.push(Number(d));
    } catch {
      // process ended
    }
  }
  return pids;
}

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: 10, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { requestsPerSec: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, total: r.requests.total };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'lianxin-bench-'));
let child = startServer(dataDir);
try {
  const firstStartMs = await waitReady(Date.now());
  await stop(child);
  const t1 = Date.now();
  child = startServer(dataDir);
  const restartMs = await waitReady(t1);

  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

  // Warm up both paths, then measure them back to back.
  await autocannon({ url: `${base}/healthz`, connections: 10, duration: 2 });
  const healthz = await load(`${base}/healthz`);
  const orgRead = await load(`${base}/api/v1/orgs/419001100000`, { cookie });
  const orgChildren = await load(`${base}/api/v1/orgs?parent=419001100000&limit=50`, { cookie });

  const serverMiB = pssMiB(child.pid!);
  const pgPids = postgresPids(dataDir);
  const postgresMiB = pgPids.reduce((n, p) => n + pssMiB(p), 0);

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    durationSeconds: DURATION,
    coldStart: { firstStartMs, restartMs },
    http: {
      healthz,
      orgRead: { ...orgRead, ratioToHealthz: orgRead.requestsPerSec / healthz.requestsPerSec },
      orgChildren: { ...orgChildren, ratioToHealthz: orgChildren.requestsPerSec / healthz.requestsPerSec },
    },
    memory: { serverPssMiB: Math.round(serverMiB), postgresPssMiB: Math.round(postgresMiB), postgresProcesses: pgPids.length },
  };
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const md = [
    `# Foundation benchmark — ${result.at}`,
    '',
    `${result.machine.cpus} cores, Node ${result.machine.node}, embedded PostgreSQL, ${DURATION} s per load run at 10 connections.`,
    '',
    '| measure | req/s | p50 ms | p99 ms | req/s vs /healthz |',
    '|---|---|---|---|---|',
    `| GET /healthz (baseline) | ${f(healthz.requestsPerSec)} | ${healthz.p50ms} | ${healthz.p99ms} | 1.00 |`,
    `| GET /api/v1/orgs/419001100000 (authenticated, with counts) | ${f(orgRead.requestsPerSec)} | ${orgRead.p50ms} | ${orgRead.p99ms} | ${result.http.orgRead.ratioToHealthz.toFixed(2)} |`,
    `| GET /api/v1/orgs?parent=419001100000 (authenticated, 50 villages with counts) | ${f(orgChildren.requestsPerSec)} | ${orgChildren.p50ms} | ${orgChildren.p99ms} | ${result.http.orgChildren.ratioToHealthz.toFixed(2)} |`,
    '',
    '| start | ms to /readyz |',
    '|---|---|',
    `| first start (initdb, migrate, org tree, demo data) | ${firstStartMs} |`,
    `| restart (existing data) | ${restartMs} |`,
    '',
    `Memory (PSS): server ${result.memory.serverPssMiB} MiB, embedded PostgreSQL ${result.memory.postgresPssMiB} MiB over ${pgPids.length} processes.`,
    '',
  ].join('\n');
  writeResults({ history: 'foundation', latest: 'latest' }, result, md);
  console.log(md);
} finally {
  if (child.exitCode === null) await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
}
