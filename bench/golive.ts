/**
 * `npm run bench:golive` — what going live (issue 9) added, measured: the role homes' cards (GET /api/v1/home/*), the
 * roster (GET /api/v1/people), the accounts list and the audit review's first page, each as the role that opens it,
 * at the `demo` scale (26k households in 克井镇, 19k members in the whole zone) or with BENCH_SCALE=full (250k
 * households), with accounts for two in three members, on the embedded PostgreSQL (default) or DATABASE_URL: p50/p99
 * over 50 requests each, GET /healthz before and after as the baseline, and the naive per-town count of unlinked
 * households over the raw tables beside the breakdown (which reads the coverage rollups). Through app.inject with real
 * sessions, like the tests.
 * Writes bench/results/golive-<engine>-<scale>-latest.json/.md (write-results.ts; timestamped history beside them).
 */
import { loadavg } from 'node:os';
import { generateDemo } from '../server/src/seed/demo/generate.ts';
import { BENCH_KEYRING, benchApp, benchLogin, scratchDatabase, stats } from './scratch-database.ts';
import { writeResults } from './write-results.ts';

const N = 50;
const ZONE = '419001000000';
const TOWN = '419001100000'; // 克井镇: the town account's, and the only town with households at the demo scale
const scale = process.env.BENCH_SCALE === 'full' ? 'full' : 'demo';

// Households of each territorial child of the zone, and how many have no current primary link, from the raw tables:
// what the breakdown's unlinked column would cost without the coverage rollups (households only — the rollups also
// count businesses, so the real naive cost is higher).
const naiveBreakdown = `
  SELECT c.code, count(h.id)::int AS households,
         count(h.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM links l
           WHERE l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL))::int AS unlinked
  FROM orgs c
  JOIN orgs o ON o.id = c.id OR starts_with(o.path, c.path || '/')
  LEFT JOIN households h ON h.org_id = o.id AND h.removed_at IS NULL
  WHERE c.parent_id = (SELECT id FROM orgs WHERE code = $1 AND valid_to IS NULL) AND c.valid_to IS NULL
    AND c.level IN ('town', 'village')
  GROUP BY c.code`;

const scratch = await scratchDatabase('golive');
const { database } = scratch;
const embedded = scratch.embedded;
const engine = embedded ? 'embedded' : 'pg-url';
try {
  const t0 = performance.now();
  await generateDemo(database.pool, { scale, keyring: BENCH_KEYRING, log: () => {} });
  const generateSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  // Live, most members have an account (开通账号): two in three here, most logged in, some never, a few disabled — so
  // the account lists, counts and each roster row's account status read a realistic accounts table (the demo has 7).
  await database.pool.query(`
    WITH m AS (
      SELECT p.id, p.name, p.org_id, row_number() OVER (ORDER BY p.id) AS n
      FROM people p WHERE p.kind = 'member' AND p.left_on IS NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)),
    a AS (
      INSERT INTO accounts (username, display_name, password_hash, person_id, disabled, last_login_at)
      SELECT 'bench' || m.n, m.name, 'not-a-hash', m.id, m.n % 50 = 0, CASE WHEN m.n % 5 < 4 THEN now() - m.n * interval '1 minute' END
      FROM m WHERE m.n % 3 <> 0
      RETURNING id, person_id)
    INSERT INTO account_roles (account_id, role, org_id) SELECT a.id, 'member', p.org_id FROM a JOIN people p ON p.id = a.person_id`);
  await database.pool.query('ANALYZE');
  const sample = (await database.pool.query<{ initials: string }>(`
    SELECT p.name_initials AS initials FROM people p JOIN orgs o ON o.id = p.org_id
    WHERE p.kind = 'member' AND p.left_on IS NULL AND o.path LIKE '%/' || $1 || '/%' AND p.name_initials <> ''
    ORDER BY p.id LIMIT 1`, [TOWN])).rows[0]!;

  const app = await benchApp(database);
  const sessions = new Map<string, Record<string, string>>();
  for (const username of ['secretary', 'town', 'office', 'admin']) {
    sessions.set(username, { cookie: await benchLogin(app, username) });
  }
  const run = async (url: string, headers: Record<string, string>) => {
    const ms: number[] = [];
    let rows: number | null = null;
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      ms.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      // Rows on the page (lists) or in the card (the breakdown's), so a fast empty answer shows as one.
      const data = url.startsWith('/api/') ? (res.json() as { data: unknown }).data : null;
      if (Array.isArray(data)) rows = data.length;
      else if (data && typeof data === 'object' && 'rows' in data && Array.isArray(data.rows)) rows = data.rows.length;
    }
    return { ...stats(ms), rows };
  };

  const measures: [role: string, label: string, url: string][] = [
    ['secretary', '未联系对象 (own village)', '/api/v1/home/unlinked'],
    ['secretary', '联户数超出或不足 (own village, with names)', '/api/v1/home/member-loads'],
    ['secretary', '未开通账号的党员 (own village)', '/api/v1/home/members-without-accounts'],
    ['secretary', '导入 (own village)', '/api/v1/home/imports'],
    ['town', '各村情况 breakdown (克井镇, per village)', '/api/v1/home/breakdown'],
    ['town', '未开通账号的党员 (克井镇)', '/api/v1/home/members-without-accounts'],
    ['office', '各镇情况 breakdown (zone, per town)', '/api/v1/home/breakdown'],
    ['office', '各村情况 breakdown (克井镇, per village)', `/api/v1/home/breakdown?org=${TOWN}`],
    ['office', '未开通账号的党员 (zone)', '/api/v1/home/members-without-accounts'],
    ['office', '未联系对象 (zone)', '/api/v1/home/unlinked'],
    ['admin', '账号概况 (zone)', '/api/v1/home/accounts'],
    ['office', '党员名册 zone, first page', `/api/v1/people?org=${ZONE}`],
    ['office', '党员名册 克井镇, first page', `/api/v1/people?org=${TOWN}`],
    ['office', `党员名册 zone, q=${sample.initials}`, `/api/v1/people?org=${ZONE}&q=${sample.initials}`],
    ['office', `党员名册 克井镇, q=${sample.initials}`, `/api/v1/people?org=${TOWN}&q=${sample.initials}`],
    ['office', '党员名册 zone, load=under', `/api/v1/people?org=${ZONE}&load=under`],
    ['office', '党员名册 克井镇, load=over', `/api/v1/people?org=${TOWN}&load=over`],
    ['office', '账号管理 list, first page', '/api/v1/accounts'],
    ['admin', '账号管理 list, first page', '/api/v1/accounts'],
    ['office', '审计日志 first page (small table here; bench:audit has 1M rows)', '/api/v1/audit'],
  ];

  const health = await run('/healthz', {});
  const measured: { role: string; label: string; url: string; p50: number; p99: number; rows: number | null }[] = [];
  for (const [role, label, url] of measures) measured.push({ role, label, url, ...(await run(url, sessions.get(role)!)) });
  // The same figure as the office's per-town breakdown's unlinked column, straight from the raw tables.
  const naiveMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await database.pool.query(naiveBreakdown, [ZONE]);
    naiveMs.push(performance.now() - t);
  }
  const naive = stats(naiveMs);
  const health2 = await run('/healthz', {});
  const rollupBreakdown = measured.find((m) => m.role === 'office' && m.url === '/api/v1/home/breakdown')!;

  const counts = (await database.pool.query<{ h: number; r: number; m: number; a: number; e: number }>(`
    SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM residents)::int AS r,
           (SELECT count(*) FROM people WHERE kind = 'member')::int AS m, (SELECT count(*) FROM accounts)::int AS a,
           (SELECT count(*) FROM audit_events)::int AS e`)).rows[0]!;
  const base = Math.max(health.p50, health2.p50);
  const ratio = (p50: number) => `${Math.round(p50 / base)}×`;
  const load = loadavg();
  const md = [
    `# Going live: homes, roster, accounts, audit — ${scale} scale, ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    '',
    `${new Date().toISOString()}; ${counts.h.toLocaleString('en')} households, ${counts.r.toLocaleString('en')} residents, `
      + `${counts.m.toLocaleString('en')} members, ${counts.a} accounts, ${counts.e} audit events (generated in ${generateSeconds} s); `
      + `${N} requests each through app.inject with real sessions. ×/healthz = p50 ÷ the larger /healthz p50.`,
    // A shared machine shows in p99 first: the load average says how quiet the run was.
    `Load average at the end: ${load.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min).`,
    '',
    '| role | request | rows | p50 ms | p99 ms | ×/healthz |', '|---|---|---|---|---|---|',
    `| | GET /healthz before | | ${health.p50} | ${health.p99} | |`,
    ...measured.map((m) => `| ${m.role} | ${m.label} — \`${m.url}\` | ${m.rows ?? ''} | ${m.p50} | ${m.p99} | ${ratio(m.p50)} |`),
    `| (SQL) | naive: unlinked households per town from the raw tables (no HTTP) | | ${naive.p50} | ${naive.p99} | ${ratio(naive.p50)} |`,
    `| | GET /healthz after | | ${health2.p50} | ${health2.p99} | |`,
    '',
    `Naive per-town count ÷ the office's whole breakdown card (rollups + HTTP): ${(naive.p50 / rollupBreakdown.p50).toFixed(1)}× at p50.`,
    '',
  ].join('\n');
  const name = `golive-${engine}-${scale}`;
  writeResults({ history: name, latest: `${name}-latest` }, {
    at: new Date().toISOString(), engine, scale, loadavg: load, generateSeconds, requests: N,
    households: counts.h, residents: counts.r, members: counts.m, accounts: counts.a, auditEvents: counts.e,
    healthz: { before: health, after: health2 }, measures: measured, naiveBreakdown: naive,
  }, md);
  console.log(md);
  await app.close();
} finally {
  await scratch.drop();
}
