/**
 * `npm run bench:audit` — audit review (GET /api/v1/audit) for the project office over ~1M synthetic audit events (a
 * year of a busy zone), in a throwaway database on the embedded PostgreSQL (default) or DATABASE_URL: p50/p99 over 50
 * requests per common search, and GET /healthz in the same run as the baseline. Through app.inject, like the tests.
 * Writes bench/results/audit-latest.json/.md (write-results.ts; timestamped history beside them, git-ignored).
 */
import { loadavg } from 'node:os';
import { todayInShanghai } from '../server/src/lib/dates.ts';
import { benchApp, benchLogin, scratchDatabase, stats } from './scratch-database.ts';
import { writeResults } from './write-results.ts';

const N = 50;
const EVENTS = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
const BATCH = 200_000;


const scratch = await scratchDatabase('audit');
const { database } = scratch;
const embedded = scratch.embedded;
try {
  const secretary = (await database.pool.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'secretary'`)).rows[0]!.id;
  // A year of events, newest now: logins most, registry writes and links next, reveals 5%, exports 1% (a third full).
  // 2,000 actors (the secretary one of them), 100,000 households and 300,000 residents as objects.
  const t0 = performance.now();
  for (let from = 1; from <= EVENTS; from += BATCH) {
    await database.pool.query(`
      INSERT INTO audit_events (at, action, actor_account_id, actor_username, entity_type, entity_id, before, after, ip)
      SELECT now() - (i::float8 / $1) * interval '365 days',
             a.action,
             CASE WHEN i % 2000 = 0 THEN $2::uuid ELSE md5('a' || (i % 2000))::uuid END,
             CASE WHEN i % 2000 = 0 THEN 'secretary' ELSE 'user' || (i % 2000) END,
             a.type,
             CASE a.type WHEN 'household' THEN md5('h' || (i % 100000))::uuid::text WHEN 'resident' THEN md5('r' || (i % 300000))::uuid::text
                         WHEN 'account' THEN md5('a' || (i % 2000))::uuid::text END,
             CASE WHEN a.action LIKE '%.update' THEN '{"address": "某村 1组 2号"}'::jsonb END,
             CASE WHEN a.action = 'resident.reveal' THEN '{"field": "phone", "reason": "入户走访"}'::jsonb
                  WHEN a.action = 'household.export' THEN jsonb_build_object('full', i % 3 = 0, 'households', 500)
                  WHEN a.action LIKE '%.update' THEN '{"address": "某村 1组 3号"}'::jsonb END,
             '10.' || (i % 200) || '.' || (i % 7) || '.1'
      FROM generate_series($3::int, $4::int) i
      CROSS JOIN LATERAL (SELECT CASE
        WHEN i % 100 < 40 THEN 'auth.login' WHEN i % 100 < 60 THEN 'household.update' WHEN i % 100 < 70 THEN 'resident.update'
        WHEN i % 100 < 85 THEN 'link.create' WHEN i % 100 < 90 THEN 'resident.reveal' WHEN i % 100 < 91 THEN 'household.export'
        WHEN i % 100 < 93 THEN 'auth.login_failed' WHEN i % 100 < 94 THEN 'account.disable' ELSE 'auth.logout' END AS action) a0
      CROSS JOIN LATERAL (SELECT a0.action, CASE
        WHEN a0.action LIKE 'household.%' THEN 'household' WHEN a0.action LIKE 'resident.%' THEN 'resident'
        WHEN a0.action LIKE 'link.%' THEN 'link' ELSE 'account' END AS type) a`,
    [EVENTS, secretary, from, Math.min(EVENTS, from + BATCH - 1)]);
  }
  await database.pool.query('ANALYZE audit_events');
  const fillSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  const size = (await database.pool.query<{ n: number; mb: number }>(`
    SELECT (SELECT count(*) FROM audit_events)::int AS n, round(pg_total_relation_size('audit_events') / 1048576.0)::int AS mb`)).rows[0]!;

  const app = await benchApp(database);
  const cookie = await benchLogin(app, 'office');
  const run = async (url: string, headers: Record<string, string>) => {
    const ms: number[] = [];
    let count = 0;
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      ms.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      if (url.startsWith('/api/')) count = (res.json() as { data: unknown[] }).data.length;
    }
    return { ...stats(ms), rows: count };
  };

  const today = todayInShanghai();
  const monthStart = `${today.slice(0, 8)}01`;
  const lastMonthEnd = new Date(Date.parse(`${monthStart}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const lastMonthStart = `${lastMonthEnd.slice(0, 8)}01`;
  const firstReveals = await app.inject({ method: 'GET', url: `/api/v1/audit?group=reveal&from=${monthStart}&to=${today}`, headers: { cookie } });
  const searches: [string, string][] = [
    ['newest 50, no filter', '/api/v1/audit'],
    ['by actor (secretary), last month', `/api/v1/audit?actor=secretary&from=${lastMonthStart}&to=${lastMonthEnd}`],
    ['group 查看敏感信息, this month', `/api/v1/audit?group=reveal&from=${monthStart}&to=${today}`],
    ['… its second page (cursor)', `/api/v1/audit?group=reveal&from=${monthStart}&to=${today}&cursor=${firstReveals.json().nextCursor}`],
    ['group 全量导出, this month', `/api/v1/audit?group=full_export&from=${monthStart}&to=${today}`],
    ['group 账号变更, whole year', '/api/v1/audit?group=account'],
    ['by object (one household)', `/api/v1/audit?entityType=household&entityId=${(await database.pool.query<{ id: string }>(
      `SELECT entity_id AS id FROM audit_events WHERE entity_type = 'household' ORDER BY id DESC LIMIT 1`)).rows[0]!.id}`],
    ['by IP, this month', `/api/v1/audit?ip=10.17.3.1&from=${monthStart}&to=${today}`],
  ];
  const health = await run('/healthz', {});
  const measured: { label: string; url: string; p50: number; p99: number; rows: number }[] = [];
  for (const [label, url] of searches) measured.push({ label, url, ...(await run(url, { cookie })) });
  const health2 = await run('/healthz', {});
  const md = [
    `# Audit review (GET /api/v1/audit), office — ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    '',
    `${new Date().toISOString()}; ${size.n.toLocaleString('en')} audit events over a year (${size.mb} MB with indexes, filled in ${fillSeconds} s); ${N} requests each through app.inject, 50 rows a page.`,
    // A shared machine shows in p99 first: the load average says how quiet the run was.
    `Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min).`,
    '',
    '| search | rows | p50 ms | p99 ms |', '|---|---|---|---|',
    `| GET /healthz before | | ${health.p50} | ${health.p99} |`,
    ...measured.map((m) => `| ${m.label} | ${m.rows} | ${m.p50} | ${m.p99} |`),
    `| GET /healthz after | | ${health2.p50} | ${health2.p99} |`,
    '',
  ].join('\n');
  writeResults({ history: 'audit', latest: 'audit-latest' }, {
    at: new Date().toISOString(), engine: embedded ? 'embedded' : 'pg-url', loadavg: loadavg(), events: size.n, tableMb: size.mb, fillSeconds, requests: N,
    healthz: { before: health, after: health2 }, searches: measured,
  }, md);
  console.log(md);
  await app.close();
} finally {
  await scratch.drop();
}
