/**
 * `npm run bench:visits` — issue 10's figures, side by side in one run (this machine is shared and noisy: medians and
 * ratios, never absolutes), at the `demo` scale (克井镇: 26k households, ≈ 10 % of the zone) or BENCH_SCALE=full (250k
 * households), with a year of synthetic visits as the default rules produce them (seed/demo/visits.ts), on the
 * embedded PostgreSQL (default) or DATABASE_URL. The app listens on a local port and autocannon drives it over HTTP:
 *  - record-visit (POST /api/v1/visits, a member's own visit: session, validation, audit, rollups) in requests/s at 10
 *    connections, beside a raw single-row INSERT into visits through `pg` at the same concurrency (target ≥ 40 %); and
 *    meanwhile how far campaign and completion rollups lag behind (the visit_changes queue; target ≤ 5 s);
 *  - the member's 今天 (GET /api/v1/today) beside GET /healthz (target ≥ 25 %);
 *  - rule completion for the zone and a town (GET /api/v1/visit-completion) p50/p99 beside the naive query over raw
 *    visits (target ≥ 10× faster; the same at 10 % data: ≤ 1.5×, comparing this file's demo and full runs);
 *  - campaign progress (a zone-wide campaign over this month) for the zone and a town (GET …/campaigns/:id/progress)
 *    p50/p99 beside the naive count over raw visits, households and residents (target ≥ 10× faster);
 *  - a phone's 500 queued visits through POST /api/v1/visits/sync (10 batches of 50): time, then the same 500 sent twice
 *    concurrently — duplicates counted in the database (target 0).
 * Writes bench/results/visits-<engine>-<scale>-latest.json/.md (write-results.ts).
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { generateDemo } from '../server/src/seed/demo/generate.ts';
import { generateVisits } from '../server/src/seed/demo/visits.ts';
import { recomputeAll } from '../server/src/modules/rules/rules.service.ts';
import { BENCH_KEYRING, BENCH_PASSWORD, benchApp, scratchDatabase, stats } from './scratch-database.ts';
import { writeResults } from './write-results.ts';

const N = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ZONE = '419001000000';
const TOWN = '419001100000';
const scale = process.env.BENCH_SCALE === 'full' ? 'full' : 'demo';

const scratch = await scratchDatabase('visits');
const { database } = scratch;
const engine = scratch.embedded ? 'embedded' : 'pg-url';
const pool = database.pool;
try {
  const t0 = performance.now();
  await generateDemo(pool, { scale, keyring: BENCH_KEYRING, log: () => {} });
  const gen = await generateVisits(pool, { months: 12, log: (m) => console.log(m) });
  await recomputeAll(database.db);
  await pool.query('ANALYZE');
  const generateSeconds = +((performance.now() - t0) / 1000).toFixed(1);

  const app = await benchApp(database);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = async (u: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: BENCH_PASSWORD } });
    if (r.statusCode !== 200) throw new Error(`login ${u}: ${r.statusCode} ${r.body}`);
    const cookie = `lx_session=${r.cookies.find((c) => c.name === 'lx_session')!.value}`;
    return { cookie, csrf: (r.json() as { data: { csrfToken: string } }).data.csrfToken };
  };
  const member = await login('member');
  const office = await login('office');
  // Ten phones: ten members with accounts, each in another village (a zone records from hundreds of villages at once;
  // one member in one village would measure only the lock on their own rollup rows), recording visits to their own
  // households, dated within the last hour.
  await pool.query(`
    WITH m AS (
      SELECT DISTINCT ON (l.org_id) l.person_id, p.org_id, p.name FROM links l JOIN people p ON p.id = l.person_id
      WHERE l.role = 'primary' AND l.ends_on IS NULL AND l.household_id IS NOT NULL AND p.kind = 'member'
        AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
      ORDER BY l.org_id, l.person_id LIMIT 10
    ), n AS (SELECT *, row_number() OVER (ORDER BY org_id) AS k FROM m), a AS (
      INSERT INTO accounts (username, display_name, password_hash, person_id)
      SELECT 'bench' || n.k, n.name, (SELECT password_hash FROM accounts WHERE username = 'member'), n.person_id FROM n
      RETURNING id, person_id)
    INSERT INTO account_roles (account_id, role, org_id) SELECT a.id, 'member', p.org_id FROM a JOIN people p ON p.id = a.person_id`);
  const phones: { headers: Record<string, string>; households: string[] }[] = [];
  for (let k = 1; k <= 10; k++) {
    const s = await login(`bench${k}`);
    const { rows } = await pool.query<{ id: string }>(`
      SELECT l.household_id AS id FROM links l JOIN accounts a ON a.person_id = l.person_id
      WHERE a.username = $1 AND l.ends_on IS NULL AND l.household_id IS NOT NULL AND l.starts_on <= current_date - 1`, [`bench${k}`]);
    phones.push({ headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, households: rows.map((r) => r.id) });
  }
  if (phones.some((p) => p.households.length === 0)) throw new Error('a benchmark member holds no household links');
  let nth = 0;
  const visitOf = (phone: { households: string[] }) => ({
    id: randomUUID(), householdId: phone.households[Math.floor(Math.random() * phone.households.length)]!,
    visitedAt: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(), channel: 'in_person',
  });

  const cannon = async (opts: autocannon.Options) => {
    const r = await autocannon({ connections: 10, duration: SECONDS, ...opts });
    return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  };

  // 1. Raw single-row INSERT loop through pg, 10 at a time: the floor any write path is measured against.
  const { rows: [one] } = await pool.query<{ person_id: string; link_id: string; household_id: string; org_id: string; entered_by: string }>(`
    SELECT l.person_id, l.id AS link_id, l.household_id, l.org_id, a.id AS entered_by
    FROM links l JOIN accounts a ON a.person_id = l.person_id WHERE a.username = 'bench1' AND l.household_id IS NOT NULL LIMIT 1`);
  let rawCount = 0;
  const rawEnd = Date.now() + SECONDS * 1000;
  const rawLoop = async () => {
    while (Date.now() < rawEnd) {
      await pool.query(`
        INSERT INTO visits (id, person_id, link_id, basis, household_id, org_id, visited_at, visited_on, channel, entered_by, content_hash, synthetic)
        VALUES ($1, $2, $3, 'link', $4, $5, now(), current_date, 'in_person', $6, 'raw', true)`,
      [randomUUID(), one!.person_id, one!.link_id, one!.household_id, one!.org_id, one!.entered_by]);
      rawCount += 1;
    }
  };
  await Promise.all(Array.from({ length: 10 }, rawLoop));
  const rawRps = Math.round(rawCount / SECONDS);
  await pool.query(`DELETE FROM visits WHERE content_hash = 'raw'`);

  // 2. Record a visit through the API (a fresh client id each time). Campaign and completion rollups follow through the
  // visit_changes queue, drained every second: its lag (age of the oldest queued change) is sampled every 100 ms
  // meanwhile, and the time the queue takes to empty after the last request is measured.
  const lagMs: number[] = [];
  const sampling = setInterval(() => {
    void pool.query<{ ms: number | null }>(`SELECT (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::int AS ms FROM visit_changes`)
      .then((r) => lagMs.push(r.rows[0]!.ms ?? 0));
  }, 100);
  const record = await cannon({
    url: `${base}/api/v1/visits`, method: 'POST',
    requests: [{ setupRequest: (req) => {
      const phone = phones[nth++ % phones.length]!;
      return { ...req, headers: { ...req.headers, ...phone.headers }, body: JSON.stringify(visitOf(phone)) };
    } }],
  });

  clearInterval(sampling);
  const d0 = performance.now();
  while ((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM visit_changes')).rows[0]!.n > 0) await new Promise((r) => setTimeout(r, 20));
  const drain = { ...stats(lagMs), max: Math.max(0, ...lagMs), samples: lagMs.length, emptyAfterMs: Math.round(performance.now() - d0) };

  // 3. The member's 今天 beside /healthz.
  const healthz = await cannon({ url: `${base}/healthz` });
  const today = await cannon({ url: `${base}/api/v1/today`, headers: { cookie: member.cookie } });
  const healthz2 = await cannon({ url: `${base}/healthz` });

  // 4. Rule completion per level from the rollups, beside the naive query over the raw visits (the default rules:
  // households 2 a month, vulnerable ones 4 — weekly —, businesses 1), for the zone and for a town.
  const timed = async (fn: () => Promise<unknown>, n = N) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    return stats(ms);
  };
  const get = async (url: string, who = office) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  };
  const naiveCompletion = `
    SELECT c.code, count(*) AS due,
           count(*) FILTER (WHERE x.n >= x.need) AS met
    FROM orgs c
    JOIN orgs o ON (o.id = c.id OR starts_with(o.path, c.path || '/')) AND o.level = 'village'
    JOIN LATERAL (
      SELECT (SELECT count(*) FROM visits vi WHERE vi.household_id = h.id
                AND vi.visited_on >= date_trunc('month', current_date) AND vi.visited_on < date_trunc('month', current_date) + interval '1 month') AS n,
             CASE WHEN h.tags && (SELECT array_agg(code) FROM tag_definitions WHERE vulnerable) THEN 4 ELSE 2 END AS need
      FROM households h WHERE h.org_id = o.id AND h.removed_at IS NULL
    ) x ON true
    WHERE c.parent_id = (SELECT id FROM orgs WHERE code = $1 AND valid_to IS NULL) AND c.valid_to IS NULL
    GROUP BY c.code`;
  const completion = {
    zone: await timed(() => get(`/api/v1/visit-completion?org=${ZONE}`)),
    town: await timed(() => get(`/api/v1/visit-completion?org=${TOWN}`)),
    naiveZone: await timed(() => pool.query(naiveCompletion, [ZONE]), 5),
    naiveTown: await timed(() => pool.query(naiveCompletion, [TOWN]), 5),
  };

  // 4b. Campaign progress (集中走访) per level from its rollups, beside the naive count over raw visits: a zone-wide
  // campaign over this month (created now; the visits already in its window are counted once at creation).
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 8);
  const monthEnd = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).toISOString().slice(0, 10);
  const c0 = performance.now();
  const created = await app.inject({
    method: 'POST', url: '/api/v1/campaigns', headers: { cookie: office.cookie, 'x-csrf-token': office.csrf },
    payload: { name: '本月集中走访', orgCode: ZONE, startsOn: `${month}01`, endsOn: monthEnd },
  });
  if (created.statusCode !== 201) throw new Error(`campaign: ${created.statusCode} ${created.body}`);
  const campaignCreateMs = Math.round(performance.now() - c0);
  const campaignId = (created.json() as { data: { id: string } }).data.id;
  const naiveProgress = `
    SELECT c.code, count(*) AS total, count(*) FILTER (WHERE x.visited) AS visited, sum(x.away) AS away_total, sum(x.reached) AS away_reached
    FROM orgs c
    JOIN orgs o ON (o.id = c.id OR starts_with(o.path, c.path || '/')) AND o.level = 'village'
    JOIN households h ON h.org_id = o.id AND h.removed_at IS NULL
    JOIN LATERAL (
      SELECT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.visited_on BETWEEN $2::date AND $3::date) AS visited,
             (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.away_scope IS NOT NULL AND r.left_on IS NULL) AS away,
             (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.away_scope IS NOT NULL AND r.left_on IS NULL
                AND EXISTS (SELECT 1 FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id WHERE vr.resident_id = r.id
                  AND v.channel IN ('phone', 'wechat', 'video') AND v.visited_on BETWEEN $2::date AND $3::date)) AS reached
    ) x ON true
    WHERE c.parent_id = (SELECT id FROM orgs WHERE code = $1 AND valid_to IS NULL) AND c.valid_to IS NULL
    GROUP BY c.code`;
  const progress = {
    zone: await timed(() => get(`/api/v1/campaigns/${campaignId}/progress`)),
    town: await timed(() => get(`/api/v1/campaigns/${campaignId}/progress?org=${TOWN}`)),
    naiveZone: await timed(() => pool.query(naiveProgress, [ZONE, `${month}01`, monthEnd]), 5),
    naiveTown: await timed(() => pool.query(naiveProgress, [TOWN, `${month}01`, monthEnd]), 5),
  };

  // 5. A phone's queue of 500 visits, synced in batches of 50; then the same 500 again, twice at once.
  const queued = Array.from({ length: 500 }, () => visitOf(phones[0]!));
  const sync = async (batch: Record<string, unknown>[]) => {
    const r = await fetch(`${base}/api/v1/visits/sync`, {
      method: 'POST', headers: phones[0]!.headers,
      body: JSON.stringify({ visits: batch }),
    });
    if (r.status !== 200) throw new Error(`sync: ${r.status} ${await r.text()}`);
  };
  const syncAll = async () => { for (let i = 0; i < queued.length; i += 50) await sync(queued.slice(i, i + 50)); };
  const s0 = performance.now();
  await syncAll();
  const syncMs = Math.round(performance.now() - s0);
  await Promise.all([syncAll(), syncAll()]);
  const { rows: [dup] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1::uuid[])', [queued.map((q) => q.id)]);

  const counts = (await pool.query<{ h: number; m: number; v: number }>(`
    SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM people WHERE kind = 'member')::int AS m,
           (SELECT count(*) FROM visits)::int AS v`)).rows[0]!;
  const load = loadavg();
  const pct = (a: number, b: number) => `${Math.round((100 * a) / b)} %`;
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const md = [
    `# Visits — ${scale} scale, ${scratch.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    '',
    `${new Date().toISOString()}; ${counts.h.toLocaleString('en')} households, ${counts.m.toLocaleString('en')} members, `
      + `${counts.v.toLocaleString('en')} visits (${gen.visits.toLocaleString('en')} synthetic over 12 months; data generated in ${generateSeconds} s). `
      + `HTTP on a local port, autocannon 10 connections × ${SECONDS} s in the same process.`,
    `Load average at the end: ${load.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min).`,
    '',
    '| measure | req/s | p50 ms | p99 ms | ratio | target |', '|---|---|---|---|---|---|',
    `| raw single-row INSERT into visits (pg, 10 at a time) | ${rawRps} | | | | |`,
    `| POST /api/v1/visits (member, own visit) | ${record.rps} | ${record.p50} | ${record.p99} | ${pct(record.rps, rawRps)} of raw | ≥ 40 % |`,
    `| GET /healthz | ${healthz.rps} / ${healthz2.rps} | ${healthz.p50} | ${healthz.p99} | | |`,
    `| GET /api/v1/today (member) | ${today.rps} | ${today.p50} | ${today.p99} | ${pct(today.rps, Math.max(healthz.rps, healthz2.rps))} of /healthz | ≥ 25 % |`,
    '',
    '| rule completion | p50 ms | p99 ms | naive p50 ms | naive ÷ rollup | target |', '|---|---|---|---|---|---|',
    `| zone (per town) | ${completion.zone.p50} | ${completion.zone.p99} | ${completion.naiveZone.p50} | ${x(completion.naiveZone.p50, completion.zone.p50)} | ≥ 10× |`,
    `| 克井镇 (per village) | ${completion.town.p50} | ${completion.town.p99} | ${completion.naiveTown.p50} | ${x(completion.naiveTown.p50, completion.town.p50)} | ≥ 10× |`,
    '',
    `| campaign progress (this month, zone-wide; created in ${campaignCreateMs} ms) | p50 ms | p99 ms | naive p50 ms | naive ÷ rollup | target |`, '|---|---|---|---|---|---|',
    `| zone (per town) | ${progress.zone.p50} | ${progress.zone.p99} | ${progress.naiveZone.p50} | ${x(progress.naiveZone.p50, progress.zone.p50)} | ≥ 10× |`,
    `| 克井镇 (per village) | ${progress.town.p50} | ${progress.town.p99} | ${progress.naiveTown.p50} | ${x(progress.naiveTown.p50, progress.town.p50)} | ≥ 10× |`,
    '',
    `Campaign and completion rollups behind the visits while recording (age of the oldest queued change, ${drain.samples} samples): `
      + `p50 ${drain.p50} ms, p99 ${drain.p99} ms, max ${drain.max} ms; queue empty ${drain.emptyAfterMs} ms after the last request (target ≤ 5 s).`,
    `Sync of 500 queued visits (10 × 50): ${syncMs} ms; the same 500 sent twice more at once: ${dup!.n} rows for 500 ids (duplicates: ${dup!.n - 500}).`,
    `Non-2xx: record ${record.non2xx}, today ${today.non2xx}.`,
    '',
  ].join('\n');
  const name = `visits-${engine}-${scale}`;
  writeResults({ history: name, latest: `${name}-latest` }, {
    at: new Date().toISOString(), engine, scale, loadavg: load, generateSeconds, households: counts.h, members: counts.m,
    visits: counts.v, seconds: SECONDS, raw: { rps: rawRps }, record, drain, healthz, healthz2, today, completion, campaignCreateMs, progress,
    sync: { ms: syncMs, rows: dup!.n, ids: 500 },
  }, md);
  console.log(md);
  await app.close();
} finally {
  await scratch.drop();
}
