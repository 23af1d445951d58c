/**
 * `node --import tsx bench/lighthouse.ts` — Lighthouse (npm lighthouse 12.2.3, its mobile defaults: simulated slow 4G,
 * 4× CPU slowdown, a phone's screen) with the system Chromium on `/login` and on the member's 今天 (`/` signed in as
 * the demo member), first visit (cache and storage cleared before each run). The real server with the built web app
 * (`npm run build -w web` first) and the demo data, as the browser tests start it. Each page is measured RUNS times
 * (default 3) and the median run by score is reported, since a shared machine's load moves single runs (the load
 * average is recorded beside them). Writes bench/results/lighthouse-latest.json/.md (write-results.ts).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { defaultWebDist } from '../server/src/app.ts';
import { startTestServer, TEST_DEMO_PASSWORD } from '../server/test/e2e-server.ts';
import { writeResults } from './write-results.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
// The browser tests' flags (e2e/src/browser.ts): no phoning home, no updates, plain HTTP/TCP.
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive'] as const;

interface Run {
  score: number;
  metrics: Record<(typeof METRICS)[number], number>;
  requests: number;
  transferBytes: number;
  scriptBytes: number;
  /** Main-thread time by kind (ms, as measured before the simulated slowdown): script vs the browser's own work. */
  mainThread: Record<string, number>;
  load1: number;
}

if (!existsSync(`${defaultWebDist}/index.html`)) throw new Error('web/dist is missing: run `npm run build -w web` first');

async function measure(url: string, cookie: string | null): Promise<Run> {
  const load1 = loadavg()[0]!;
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS });
  try {
    const result = await lighthouse(url, {
      port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'],
      ...(cookie ? { extraHeaders: { cookie } } : {}),
    });
    const lhr = result?.lhr;
    if (!lhr || lhr.runtimeError) throw new Error(`lighthouse ${url}: ${lhr?.runtimeError?.message ?? 'no result'}`);
    const requests = ((lhr.audits['network-requests']?.details as { items?: { transferSize?: number; resourceType?: string }[] })?.items) ?? [];
    return {
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      metrics: Object.fromEntries(METRICS.map((m) => [m, Math.round((lhr.audits[m]?.numericValue ?? NaN) * 1000) / 1000])) as Run['metrics'],
      requests: requests.length,
      transferBytes: requests.reduce((s, r) => s + (r.transferSize ?? 0), 0),
      scriptBytes: requests.filter((r) => r.resourceType === 'Script').reduce((s, r) => s + (r.transferSize ?? 0), 0),
      mainThread: Object.fromEntries((((lhr.audits['mainthread-work-breakdown']?.details as { items?: { group: string; duration: number }[] })?.items) ?? [])
        .map((i) => [i.group, Math.round(i.duration)])),
      load1,
    };
  } finally {
    await chrome.kill();
  }
}

const server = await startTestServer();
try {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'member', password: TEST_DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login member: ${res.status} ${await res.text()}`);
  const session = /lx_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!session) throw new Error('login member: no session cookie');

  const pages = [
    { name: '/login', path: '/login', cookie: null },
    { name: '今天 (/ as the member)', path: '/', cookie: session },
  ];
  const results = [];
  for (const p of pages) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measure(`${server.url}${p.path}`, p.cookie));
      console.log(`${p.name} run ${i + 1}: ${runs.at(-1)!.score} (load ${runs.at(-1)!.load1.toFixed(1)})`);
    }
    const median = [...runs].sort((a, b) => a.score - b.score)[Math.floor(runs.length / 2)]!;
    results.push({ page: p.name, path: p.path, median, runs });
  }

  const at = new Date().toISOString();
  const result = { at, lighthouse: '12.2.3', chrome: CHROME, formFactor: 'mobile', throttling: 'simulated slow 4G, 4× CPU', runs: RUNS, pages: results };
  const ms = (v: number) => `${(v / 1000).toFixed(1)} s`;
  const md = [
    `# Lighthouse (mobile, first visit) — ${at}`,
    '',
    `lighthouse 12.2.3, ${CHROME}, mobile defaults (simulated slow 4G, 4× CPU slowdown); median of ${RUNS} runs by score.`,
    '',
    '| page | score | FCP | LCP | TBT | CLS | SI | TTI | requests | transfer | of it scripts | main thread: script / other | scores of the runs (1-min load avg) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(({ page, median: m, runs }) =>
      `| ${page} | **${m.score}** | ${ms(m.metrics['first-contentful-paint'])} | ${ms(m.metrics['largest-contentful-paint'])} | ` +
      `${Math.round(m.metrics['total-blocking-time'])} ms | ${m.metrics['cumulative-layout-shift'].toFixed(3)} | ${ms(m.metrics['speed-index'])} | ` +
      `${ms(m.metrics.interactive)} | ${m.requests} | ${(m.transferBytes / 1024).toFixed(1)} KB | ${(m.scriptBytes / 1024).toFixed(1)} KB | ` +
      `${m.mainThread.scriptEvaluation ?? 0} / ${m.mainThread.other ?? 0} ms | ` +
      `${runs.map((r) => `${r.score} (${r.load1.toFixed(1)})`).join(', ')} |`),
    '',
  ].join('\n');
  writeResults({ history: 'lighthouse', latest: 'lighthouse-latest' }, result, md);
  console.log(md);
} finally {
  await server.stop();
}
