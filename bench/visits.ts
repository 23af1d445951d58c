/**
 * `npm run bench:visits` — recording visits:
 *  - POST /api/v1/visits at 10 connections (session, validation, checks, audit and rollups together) beside a raw
 *    single-row INSERT loop through `pg` at the same concurrency, in the same run (target ≥ 40% of raw);
 *  - sync of 500 queued visits from one phone (10 × 50), then the same 500 sent twice concurrently: zero duplicates.
 * A scratch database (embedded, or a new one behind DATABASE_URL); ten members in ten villages, 200 linked households each.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { BENCH_PASSWORD, benchApp, scratchDatabase } from './scratch-database.ts';
import { writeResults } from './write-results.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const HOUSEHOLDS = 2000;
const CONNECTIONS = 10;

const scratch = await scratchDatabase('visits');
const { database } = scratch;
const pool = database.pool;
const app = await benchApp(database);
try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // Ten phones: ten members, each in their own village of the demo town with 200 linked households (a zone records from
  // hundreds of villages at once; one member in one village would measure only the lock on their own rollup rows).
  await pool.query(`
    WITH v AS (
      SELECT o.id, row_number() OVER (ORDER BY o.sort_key, o.code) AS k FROM orgs o JOIN orgs t ON t.id = o.parent_id
      WHERE o.level = 'village' AND t.code = '419001100000' ORDER BY o.sort_key, o.code LIMIT ${CONNECTIONS}
    ), p AS (
      INSERT INTO people (org_id, kind, name, sex, synthetic) SELECT v.id, 'member', '压测党员' || v.k, 'M', true FROM v RETURNING id, org_id, name
    ), a AS (
      INSERT INTO accounts (username, display_name, password_hash, person_id)
      SELECT 'bench' || substr(p.name, 5), p.name, (SELECT password_hash FROM accounts WHERE username = 'member'), p.id FROM p RETURNING id, person_id
    )
    INSERT INTO account_roles (account_id, role, org_id) SELECT a.id, 'member', p.org_id FROM a JOIN p ON p.id = a.person_id`);
  await pool.query(`
    WITH h AS (
      INSERT INTO households (org_id, address, head_name, created_at, synthetic)
      SELECT p.org_id, '压测 ' || i || '号', '压测户' || i, '2025-01-01', true
      FROM people p, generate_series(1, ${HOUSEHOLDS / CONNECTIONS}) i WHERE p.synthetic AND p.name LIKE '压测党员%' RETURNING id, org_id
    )
    INSERT INTO links (person_id, household_id, role, org_id, starts_on, synthetic)
    SELECT p.id, h.id, 'primary', h.org_id, '2025-01-01', true FROM h JOIN people p ON p.org_id = h.org_id AND p.name LIKE '压测党员%'`);
  const phones: { headers: Record<string, string>; households: string[] }[] = [];
  for (let k = 1; k <= CONNECTIONS; k++) {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `bench${k}`, password: BENCH_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login bench${k}: ${login.status}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { data: { csrfToken: string } }).data.csrfToken;
    const households = (await pool.query<{ id: string }>(`
      SELECT l.household_id AS id FROM links l JOIN accounts a ON a.person_id = l.person_id WHERE a.username = $1`, [`bench${k}`])).rows.map((r) => r.id);
    phones.push({ headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, households });
  }
  const headers = phones[0]!.headers;

  let n = 0;
  const YEAR_MS = 330 * 86_400_000;
  const phoneOf = (i: number) => phones[i % phones.length]!;
  const nextVisit = (phone = n % phones.length) => {
    const i = n++;
    const hs = phones[phone]!.households;
    return {
      id: randomUUID(), householdId: hs[Math.floor(i / phones.length) % hs.length]!, channel: i % 5 === 0 ? 'phone' : 'in_person',
      visitedAt: new Date(Date.now() - 86_400_000 - (i * 7_919_000) % YEAR_MS).toISOString(), notes: i % 3 === 0 ? '了解近况' : '',
    };
  };

  // Raw baseline: the same row shape, one INSERT per round trip, 10 clients.
  await pool.query(`CREATE TABLE bench_raw_visits (id uuid PRIMARY KEY, household_id uuid, visited_at timestamptz, channel text, notes text)`);
  const raw = async (seconds: number) => {
    const until = Date.now() + seconds * 1000;
    let done = 0;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const v = nextVisit();
        await pool.query('INSERT INTO bench_raw_visits (id, household_id, visited_at, channel, notes) VALUES ($1, $2, $3, $4, $5)',
          [v.id, v.householdId, v.visitedAt, v.channel, v.notes]);
        done++;
      }
    }));
    return done / seconds;
  };
  const endpoint = async (seconds: number) => {
    const r = await autocannon({
      url: `${base}/api/v1/visits`, connections: CONNECTIONS, duration: seconds, method: 'POST',
      requests: [{ setupRequest: (req) => {
        const k = n % phones.length;
        // A copy: autocannon writes the body's content-length into the headers object it is given.
        return { ...req, headers: { ...phoneOf(k).headers }, body: JSON.stringify(nextVisit(k)) };
      } }],
    });
    if (r.non2xx || r.errors) throw new Error(`POST /visits: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { requestsPerSec: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99 };
  };
  await raw(2);
  await endpoint(2);
  const rawPerSec = await raw(DURATION);
  const record = await endpoint(DURATION);

  // One phone's queue: 500 visits in batches of 50, then the same 500 twice at once.
  const queue = Array.from({ length: 500 }, () => nextVisit(0));
  const syncAll = async () => {
    for (let i = 0; i < queue.length; i += 50) {
      const res = await fetch(`${base}/api/v1/visits/sync`, { method: 'POST', headers, body: JSON.stringify({ visits: queue.slice(i, i + 50) }) });
      if (res.status !== 200) throw new Error(`sync: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
  };
  const t0 = performance.now();
  await syncAll();
  const syncMs = performance.now() - t0;
  await Promise.all([syncAll(), syncAll()]);
  const ids = queue.map((v) => v.id);
  const stored = Number((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM visits WHERE id = ANY($1)`, [ids])).rows[0]!.n);
  const audited = Number((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'visit.create' AND entity_id = ANY($1)`, [ids])).rows[0]!.n);

  const result = {
    at: new Date().toISOString(),
    // The load beside the run: on a shared machine the endpoint (Node CPU) suffers more than the raw loop (PostgreSQL).
    machine: { cpus: cpus().length, node: process.version, engine: scratch.embedded ? 'embedded' : 'DATABASE_URL', load1: +loadavg()[0]!.toFixed(1) },
    durationSeconds: DURATION,
    rawInsertPerSec: Math.round(rawPerSec),
    recordVisit: { ...record, requestsPerSec: Math.round(record.requestsPerSec) },
    recordVsRawPercent: Math.round((record.requestsPerSec / rawPerSec) * 100),
    sync500: { ms: Math.round(syncMs), stored, audited, duplicates: stored - queue.length + (audited - queue.length) },
  };
  const md = [
    '# Recording visits', '',
    `${result.machine.cpus} cores, Node ${result.machine.node}, ${result.machine.engine} PostgreSQL, ${DURATION} s per run at ${CONNECTIONS} connections, load average ${result.machine.load1}.`, '',
    '| measure | value |', '|---|---|',
    `| raw single-row INSERT loop (pg, 10 clients) | ${result.rawInsertPerSec} rows/s |`,
    `| POST /api/v1/visits | ${result.recordVisit.requestsPerSec} req/s (p50 ${result.recordVisit.p50ms} ms, p99 ${result.recordVisit.p99ms} ms) |`,
    `| record vs raw | ${result.recordVsRawPercent}% (target ≥ 40%) |`,
    `| sync of 500 queued visits (10 × 50) | ${result.sync500.ms} ms |`,
    `| same 500 sent twice concurrently afterwards | ${result.sync500.stored} stored, ${result.sync500.audited} audited, ${result.sync500.duplicates} duplicates |`,
    '',
  ].join('\n');
  writeResults({ history: 'visits', latest: 'visits-latest' }, result, md);
  console.log(md);
} finally {
  await app.close();
  await scratch.drop();
}
