import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type JobRow = {
  id: string;
  kind: 'households';
  created_by: string;
  org_scope: string[];
  status: 'queued' | 'validating' | 'failed' | 'merging' | 'done';
  counts: { rows: number; validated: number; errors: number; written: number; households?: number; residents?: number };
  error_count: number;
  file_name: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

const jobColumns = sql`id, kind, created_by, org_scope, status, counts, error_count, file_name,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at,
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished_at`;

export async function insertJob(db: Db, j: { kind: string; createdBy: string; orgScope: string[]; fileName: string }): Promise<JobRow> {
  const { rows } = await db.execute<JobRow>(sql`
    INSERT INTO import_jobs (kind, created_by, org_scope, file_name)
    VALUES (${j.kind}, ${j.createdBy}, ${sql.param(j.orgScope)}::text[], ${j.fileName})
    RETURNING ${jobColumns}`);
  return rows[0]!;
}

export async function findJob(db: Db, id: string): Promise<JobRow | null> {
  const { rows } = await db.execute<JobRow>(sql`SELECT ${jobColumns} FROM import_jobs WHERE id = ${id}`);
  return rows[0] ?? null;
}

export async function setStatus(db: Pick<Db, 'execute'>, id: string, status: JobRow['status'], counts?: JobRow['counts']): Promise<void> {
  await db.execute(sql`
    UPDATE import_jobs SET status = ${status},
      counts = ${counts ? sql`${JSON.stringify(counts)}::jsonb` : sql`counts`},
      error_count = ${counts ? counts.errors : sql`error_count`},
      started_at = CASE WHEN ${status} = 'validating' THEN now() ELSE started_at END,
      finished_at = CASE WHEN ${status} IN ('failed', 'done') THEN now() ELSE finished_at END
    WHERE id = ${id}`);
}

export async function setCounts(db: Db, id: string, counts: JobRow['counts']): Promise<void> {
  await db.execute(sql`UPDATE import_jobs SET counts = ${JSON.stringify(counts)}::jsonb, error_count = ${counts.errors} WHERE id = ${id}`);
}

export interface ErrorRow { sheet: string; row: number; column: string; reason: string; valuesEnc: string | null }

export async function insertErrors(db: Db, jobId: string, errs: ErrorRow[]): Promise<void> {
  if (!errs.length) return;
  await db.execute(sql`
    INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc)
    SELECT ${jobId}, * FROM unnest(${sql.param(errs.map((e) => e.sheet))}::text[], ${sql.param(errs.map((e) => e.row))}::int[],
      ${sql.param(errs.map((e) => e.column))}::text[], ${sql.param(errs.map((e) => e.reason))}::text[],
      ${sql.param(errs.map((e) => e.valuesEnc))}::text[])`);
}

export interface StagedHousehold { key: string; row: number; orgId: string | null; gridId: string | null; address: string | null; tags: string; valid: boolean; valuesEnc: string }

export async function stageHouseholds(db: Db, jobId: string, hs: StagedHousehold[]): Promise<void> {
  if (!hs.length) return;
  await db.execute(sql`
    INSERT INTO import_households (job_id, key, row, org_id, grid_id, address, tags, valid, values_enc)
    SELECT ${jobId}, u.key, u.row, u.org_id, u.grid_id, u.address,
           CASE WHEN u.tags = '' THEN '{}'::text[] ELSE string_to_array(u.tags, '、') END, u.valid, u.values_enc
    FROM unnest(${sql.param(hs.map((h) => h.key))}::text[], ${sql.param(hs.map((h) => h.row))}::int[],
      ${sql.param(hs.map((h) => h.orgId))}::uuid[], ${sql.param(hs.map((h) => h.gridId))}::uuid[],
      ${sql.param(hs.map((h) => h.address))}::text[], ${sql.param(hs.map((h) => h.tags))}::text[],
      ${sql.param(hs.map((h) => h.valid))}::boolean[], ${sql.param(hs.map((h) => h.valuesEnc))}::text[])
      AS u(key, row, org_id, grid_id, address, tags, valid, values_enc)`);
}

export interface StagedResident {
  householdKey: string; row: number; name: string; nameInitials: string; sex: 'M' | 'F'; birthDate: string; relation: string;
  idNumberEnc: string; idNumberHash: string; phoneEnc: string | null; awayScope: string | null; awayPlace: string | null; valuesEnc: string;
}

export async function stageResidents(db: Db, jobId: string, rs: StagedResident[]): Promise<void> {
  if (!rs.length) return;
  const col = <K extends keyof StagedResident>(k: K) => sql.param(rs.map((r) => r[k]));
  await db.execute(sql`
    INSERT INTO import_residents (job_id, household_key, row, name, name_initials, sex, birth_date, relation, id_number_enc,
                                  id_number_hash, phone_enc, away_scope, away_place, values_enc)
    SELECT ${jobId}, * FROM unnest(${col('householdKey')}::text[], ${col('row')}::int[], ${col('name')}::text[],
      ${col('nameInitials')}::text[], ${col('sex')}::text[], ${col('birthDate')}::date[], ${col('relation')}::text[],
      ${col('idNumberEnc')}::text[], ${col('idNumberHash')}::text[], ${col('phoneEnc')}::text[], ${col('awayScope')}::text[],
      ${col('awayPlace')}::text[], ${col('valuesEnc')}::text[])`);
}

/**
 * The checks that need the whole file, set-based over staging; each inserts its errors and returns how many.
 * Rows that already failed their own checks are not staged, so they are not reported twice.
 */
export async function crossCheck(db: Db, jobId: string, badHeads: { key: string; heads: number }[]): Promise<number> {
  let n = 0;
  const run = async (q: ReturnType<typeof sql>) => { n += (await db.execute(q)).rowCount ?? 0; };
  // 居民 rows whose 户编号 no 住户 row declares (rows of a 住户 row with errors are not reported again).
  await run(sql`
    INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc)
    SELECT r.job_id, '居民', r.row, '户编号', '户编号在“住户”表中不存在', r.values_enc
    FROM import_residents r
    WHERE r.job_id = ${jobId} AND NOT EXISTS (SELECT 1 FROM import_households h WHERE h.job_id = r.job_id AND h.key = r.household_key)`);
  // Duplicate ID numbers inside the file: every occurrence after the first.
  await run(sql`
    INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc)
    SELECT job_id, '居民', row, '身份证号', '与第 ' || first_row || ' 行的身份证号码重复', values_enc
    FROM (SELECT job_id, row, values_enc, min(row) OVER (PARTITION BY id_number_hash) AS first_row FROM import_residents WHERE job_id = ${jobId}) d
    WHERE row <> first_row`);
  // Already registered (living) in the database: by keyed hash, never by clear value.
  await run(sql`
    INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc)
    SELECT r.job_id, '居民', r.row, '身份证号', '身份证号码已在其他住户中登记', r.values_enc
    FROM import_residents r
    WHERE r.job_id = ${jobId} AND EXISTS (SELECT 1 FROM residents x WHERE x.id_number_hash = r.id_number_hash AND x.left_on IS NULL)`);
  if (badHeads.length) {
    await run(sql`
      INSERT INTO import_errors (job_id, sheet, row, "column", reason, values_enc)
      SELECT h.job_id, '住户', h.row, '户编号', '每户须有且仅有一名户主（本户有 ' || b.heads || ' 名）', h.values_enc
      FROM import_households h
      JOIN unnest(${sql.param(badHeads.map((b) => b.key))}::text[], ${sql.param(badHeads.map((b) => b.heads))}::int[]) AS b(key, heads) ON b.key = h.key
      WHERE h.job_id = ${jobId} AND h.valid`);
  }
  return n;
}

export async function clearStaging(db: Pick<Db, 'execute'>, jobId: string): Promise<void> {
  await db.execute(sql`DELETE FROM import_residents WHERE job_id = ${jobId}`);
  await db.execute(sql`DELETE FROM import_households WHERE job_id = ${jobId}`);
}

/** Merge: staging → households/residents, set-based. Returns the villages touched and the rows written. */
export async function mergeStaging(tx: Pick<Db, 'execute'>, jobId: string, today: string): Promise<{ orgIds: string[]; households: number; residents: number }> {
  const adult = sql`r.birth_date <= (${today}::date - interval '18 years')::date`;
  const hh = await tx.execute<{ org_id: string }>(sql`
    INSERT INTO households (id, org_id, grid_id, address, head_name, head_initials, tags, away)
    SELECT h.id, h.org_id, h.grid_id, h.address, hd.name, hd.name_initials, h.tags,
           (SELECT count(*) FILTER (WHERE ${adult}) > 0 AND coalesce(bool_and(r.away_scope IS NOT NULL) FILTER (WHERE ${adult}), false)
            FROM import_residents r WHERE r.job_id = h.job_id AND r.household_key = h.key)
    FROM import_households h
    JOIN import_residents hd ON hd.job_id = h.job_id AND hd.household_key = h.key AND hd.relation = '户主'
    WHERE h.job_id = ${jobId} AND h.valid
    RETURNING org_id`);
  const rs = await tx.execute(sql`
    INSERT INTO residents (household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash, phone_enc, away_scope, away_place)
    SELECT h.id, r.name, r.sex, r.birth_date, r.relation, r.id_number_enc, r.id_number_hash, r.phone_enc, r.away_scope, r.away_place
    FROM import_residents r JOIN import_households h ON h.job_id = r.job_id AND h.key = r.household_key AND h.valid
    WHERE r.job_id = ${jobId}`);
  await tx.execute(sql`
    INSERT INTO org_rollups (org_id, households, updated_at)
    SELECT org_id, count(*), now() FROM import_households WHERE job_id = ${jobId} AND valid GROUP BY org_id
    ON CONFLICT (org_id) DO UPDATE SET households = org_rollups.households + EXCLUDED.households, updated_at = now()`);
  return { orgIds: [...new Set(hh.rows.map((r) => r.org_id))], households: hh.rowCount ?? 0, residents: rs.rowCount ?? 0 };
}

export type ErrorOut = { id: string; sheet: string; row: number; column: string; reason: string; values_enc: string | null };

/** A page of a job's errors in (sheet, row) order, keyset-paginated. */
export async function errorsPage(db: Db, jobId: string, after: { sheet: string; row: number; id: string } | null, limit: number): Promise<ErrorOut[]> {
  const { rows } = await db.execute<ErrorOut>(sql`
    SELECT id, sheet, row, "column", reason, values_enc FROM import_errors
    WHERE job_id = ${jobId} ${after ? sql`AND (sheet, row, id) > (${after.sheet}, ${after.row}, ${after.id}::uuid)` : sql``}
    ORDER BY sheet, row, id LIMIT ${limit}`);
  return rows;
}

export async function orgsForImport(db: Db): Promise<Map<string, { id: string; path: string; level: string }>> {
  const { rows } = await db.execute<{ code: string; id: string; path: string; level: string }>(sql`
    SELECT code, id, path, level FROM orgs WHERE valid_to IS NULL`);
  return new Map(rows.map((r) => [r.code, { id: r.id, path: r.path, level: r.level }]));
}

/**
 * Jobs left queued/validating/merging by a process that died (kill -9, power loss) can never finish: mark them
 * failed and drop their staging rows. Their merge, if it had started, was one transaction — rolled back by PostgreSQL —
 * so households and residents are exactly as before the import. Run once at boot, before serving.
 */
export async function failInterruptedJobs(db: Pick<Db, 'execute'>): Promise<number> {
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE import_jobs SET status = 'failed', finished_at = now()
    WHERE status IN ('queued', 'validating', 'merging') RETURNING id`);
  for (const r of rows) {
    await clearStaging(db, r.id);
    await db.execute(sql`
      INSERT INTO import_errors (job_id, sheet, row, "column", reason)
      VALUES (${r.id}, '', 0, '', '服务器在导入过程中重启，本次导入未生效，请重新上传')`);
    await db.execute(sql`UPDATE import_jobs SET error_count = error_count + 1 WHERE id = ${r.id}`);
  }
  return rows.length;
}
