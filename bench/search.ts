/**
 * `npm run bench:search` — the header's search (GET /api/v1/search) for the project office at the `demo` scale
 * (26k households, 78k residents), on the embedded PostgreSQL (default) or DATABASE_URL: p50/p99 over 50 requests per
 * kind of text, and GET /healthz in the same run as the baseline. Through app.inject (no sockets), like the tests.
 * Writes bench/results/search-<engine>-latest.json/.md (write-results.ts; timestamped history beside them, git-ignored).
 */
import { BENCH_KEYRING, benchApp, benchLogin, scratchDatabase, stats } from './scratch-database.ts';
import { writeResults } from './write-results.ts';
import { generateDemo } from '../server/src/seed/demo/generate.ts';

const N = 50;


const scratch = await scratchDatabase('search');
const { database } = scratch;
const embedded = scratch.embedded;
try {
  await generateDemo(database.pool, { scale: 'demo', keyring: BENCH_KEYRING, log: () => {} });
  await database.pool.query('ANALYZE');
  const sample = (await database.pool.query<{ head_name: string; head_initials: string; address: string; tail: string }>(`
    SELECT h.head_name, h.head_initials, h.address, r.phone_tail AS tail
    FROM households h JOIN residents r ON r.household_id = h.id AND r.phone_tail <> ''
    ORDER BY h.id LIMIT 1`)).rows[0]!;
  const app = await benchApp(database);
  const cookie = await benchLogin(app, 'office');
  const texts: [string, string][] = [
    ['pinyin initials', sample.head_initials],
    ['a name', sample.head_name],
    ['an address without spaces', sample.address.split(' ').slice(-2).join('')],
    ['a phone tail', sample.tail],
    ['an org name', '克井'],
  ];
  const run = async (url: string, headers: Record<string, string>) => {
    const ms: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      ms.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    }
    return stats(ms);
  };
  const health = await run('/healthz', {});
  const rows: string[] = [];
  const measured: { label: string; q: string; p50: number; p99: number }[] = [];
  for (const [label, q] of texts) {
    const s = await run(`/api/v1/search?q=${encodeURIComponent(q)}`, { cookie });
    measured.push({ label, q, p50: s.p50, p99: s.p99 });
    rows.push(`| ${label} (\`${q}\`) | ${s.p50} | ${s.p99} |`);
  }
  const health2 = await run('/healthz', {});
  const counts = (await database.pool.query<{ h: number; r: number }>(
    'SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM residents)::int AS r')).rows[0]!;
  const md = [
    `# Search (GET /api/v1/search), office, demo scale — ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    '',
    `${new Date().toISOString()}; ${counts.h} households, ${counts.r} residents; ${N} requests each through app.inject.`,
    '',
    '| text | p50 ms | p99 ms |', '|---|---|---|',
    `| GET /healthz before | ${health.p50} | ${health.p99} |`,
    ...rows,
    `| GET /healthz after | ${health2.p50} | ${health2.p99} |`,
    '',
  ].join('\n');
  const base = `search-${embedded ? 'embedded' : 'pg-url'}`;
  writeResults({ history: base, latest: `${base}-latest` }, {
    at: new Date().toISOString(), engine: embedded ? 'embedded' : 'pg-url', households: counts.h, residents: counts.r, requests: N,
    healthz: { before: health, after: health2 }, search: measured,
  }, md);
  console.log(md);
  await app.close();
} finally {
  await scratch.drop();
}
