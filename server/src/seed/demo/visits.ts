import type pg from 'pg';
import { monthStart, nextMonthStart, previousMonthStart, shanghaiDay } from '../../lib/dates.ts';

export interface GenerateVisitsOptions {
  /** Months of history ending with the current one (default 12: "a year of visits"). */
  months?: number;
  /** Share of the visits the rules ask for that were made (default 0.88: most, not all). */
  completion?: number;
  log?: (m: string) => void;
}

/**
 * Synthetic visits as the default rules would produce them, for benchmarks and demonstrations: for every primary link
 * active in a month, 2 visits a month to a household (4 to one with a vulnerability tag — weekly), 1 to an enterprise
 * or shop, each made with probability `completion`, on a random day and hour (08:00–21:00) of the month, never in the
 * future. Channels: 入户 60 %, 夜访 15 %, 电话 15 %, 微信 7 %, 视频 3 %; a remote visit reaches the household's away
 * residents (visit_residents). Written month by month with set-based SQL (≈ 6M rows at full scale), then the visit
 * rollups are rebuilt from them. Visits are marked synthetic and entered by the demo admin account.
 */
export async function generateVisits(pool: pg.Pool, opts: GenerateVisitsOptions = {}): Promise<{ visits: number; ms: number }> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const completion = opts.completion ?? 0.88;
  const today = shanghaiDay();
  let month = monthStart(today);
  const months: string[] = [];
  for (let i = 0; i < (opts.months ?? 12); i++) {
    months.unshift(month);
    month = previousMonthStart(month);
  }
  const { rows: [enterer] } = await pool.query<{ id: string }>(`SELECT id FROM accounts ORDER BY (username = 'admin') DESC, created_at LIMIT 1`);
  if (!enterer) throw new Error('no account to enter synthetic visits: seed the demo accounts first');
  const { rows: vulnerable } = await pool.query<{ code: string }>('SELECT code FROM tag_definitions WHERE vulnerable');
  let visits = 0;
  const client = await pool.connect();
  try {
    for (const m of months) {
      const end = nextMonthStart(m);
      await client.query('BEGIN');
      // Every reference is drawn from existing rows (links, their people, households, villages, one account): the
      // per-row foreign-key checks would only slow a bulk insert of millions (superuser only: benchmarks, demo seeding).
      await client.query(`SET LOCAL session_replication_role = replica`);
      const r = await client.query(`
        WITH made AS (
          SELECT l.id AS link_id, l.person_id, l.household_id, l.business_id, l.org_id,
                 -- the day and the minute of the day, drawn per visit (k makes the subquery correlated, so per row)
                 least(($2::date - $1::date) - 1, floor(random() * ($2::date - $1::date) + 0 * k)::int) AS day_offset,
                 floor(8 * 60 + random() * 13 * 60)::int AS minute, random() AS c
          FROM links l
          LEFT JOIN households h ON h.id = l.household_id
          CROSS JOIN LATERAL generate_series(1, CASE WHEN l.business_id IS NOT NULL THEN 1
                                                     WHEN h.tags && $3::text[] THEN 4 ELSE 2 END) k
          WHERE l.role = 'primary' AND l.starts_on < $2::date AND (l.ends_on IS NULL OR l.ends_on > $1::date)
            AND random() < $4
        ), timed AS (
          SELECT *, (($1::date + day_offset)::timestamp + make_interval(mins => minute)) AT TIME ZONE 'Asia/Shanghai' AS at
          FROM made
        )
        INSERT INTO visits (id, person_id, link_id, basis, household_id, business_id, org_id, visited_at, visited_on,
                            channel, notes, proxy, entered_by, content_hash, synthetic)
        SELECT gen_random_uuid(), person_id, link_id, 'link', household_id, business_id, org_id, at,
               (at AT TIME ZONE 'Asia/Shanghai')::date,
               CASE WHEN c < 0.60 THEN 'in_person' WHEN c < 0.75 THEN 'evening' WHEN c < 0.90 THEN 'phone'
                    WHEN c < 0.97 THEN 'wechat' ELSE 'video' END,
               '', false, $5, 'synthetic', true
        FROM timed WHERE at <= now()`, [m, end, vulnerable.map((v) => v.code), completion, enterer.id]);
      visits += r.rowCount ?? 0;
      await client.query(`
        INSERT INTO visit_residents (visit_id, resident_id)
        SELECT v.id, r.id FROM visits v JOIN residents r ON r.household_id = v.household_id
        WHERE v.synthetic AND v.visited_on >= $1::date AND v.visited_on < $2::date
          AND v.channel IN ('phone', 'wechat', 'video') AND r.away_scope IS NOT NULL AND r.left_on IS NULL
        ON CONFLICT DO NOTHING`, [m, end]);
      await client.query('COMMIT');
      log(`visits ${m}: ${r.rowCount} (${visits} so far, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  await rebuildVisitRollups(pool);
  await pool.query('ANALYZE visits; ANALYZE visit_residents; ANALYZE visit_constituent_periods');
  const ms = Date.now() - started;
  log(`visits: ${visits} in ${(ms / 1000).toFixed(1)} s`);
  return { visits, ms };
}

/**
 * The visit rollups recomputed from the visits themselves (the same figures the visits module keeps up in each write's
 * transaction): per village × month, per member × month, per constituent × week and month, and per away resident
 * reached through a remote channel × week and month.
 */
export async function rebuildVisitRollups(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE visit_village_months, visit_member_months, visit_constituent_periods');
  await pool.query(`
    INSERT INTO visit_village_months (org_id, month, visits, in_person, evening, phone, wechat, video, households_visited, businesses_visited)
    SELECT org_id, date_trunc('month', visited_on)::date, count(*),
           count(*) FILTER (WHERE channel = 'in_person'), count(*) FILTER (WHERE channel = 'evening'),
           count(*) FILTER (WHERE channel = 'phone'), count(*) FILTER (WHERE channel = 'wechat'),
           count(*) FILTER (WHERE channel = 'video'),
           count(DISTINCT household_id), count(DISTINCT business_id)
    FROM visits GROUP BY 1, 2`);
  await pool.query(`
    INSERT INTO visit_member_months (person_id, month, visits, constituents_visited)
    SELECT person_id, date_trunc('month', visited_on)::date, count(*), count(DISTINCT coalesce(household_id, business_id))
    FROM visits GROUP BY 1, 2`);
  for (const [kind, trunc] of [['month', 'month'], ['week', 'week']] as const) {
    await pool.query(`
      INSERT INTO visit_constituent_periods (constituent_id, period_kind, period_start, visits, last_visited_at)
      SELECT coalesce(household_id, business_id), '${kind}', date_trunc('${trunc}', visited_on)::date, count(*), max(visited_at)
      FROM visits GROUP BY 1, 3`);
    await pool.query(`
      INSERT INTO visit_constituent_periods (constituent_id, period_kind, period_start, visits, last_visited_at)
      SELECT vr.resident_id, '${kind}', date_trunc('${trunc}', v.visited_on)::date, count(*), max(v.visited_at)
      FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id JOIN residents r ON r.id = vr.resident_id
      WHERE v.channel IN ('phone', 'wechat', 'video') AND r.away_scope IS NOT NULL
      GROUP BY 1, 3`);
  }
}
