import { sql, type SQL } from 'drizzle-orm';
import { keyedHash } from '../../../lib/crypto.ts';
import { isValidIdNumber } from '../../../lib/id-number.ts';
import { isValidCreditCode } from '../../../lib/credit-code.ts';
import { PHONE } from '../imports.cells.ts';
import { EXAMPLE_MARK } from '../imports.template.ts';
import { optional, required, villageOf, type KindSpec, type RowContext } from './run.ts';

/** 党员联户关系: one row per link; the constituent by its head's ID number (household) or credit code (business). */
export const LINK_SHEET = '联户关系';
export const LINK_COLUMNS = ['村（社区）代码', '户主身份证号', '统一社会信用代码', '党员姓名', '党员工作电话', '联系类型', '更换原因'] as const;
const ROLES: Record<string, 'primary' | 'helper'> = { 主联系人: 'primary', 协助: 'helper' };
/**
 * 更换原因 → links.end_reason of the primary link it replaces (the words of the web's reassignment dialog). Without it, a
 * constituent that already has a primary member is an error, so a file cannot reassign anybody by accident.
 */
const REPLACE_REASONS: Record<string, string> = { 迁居: 'moved', 调动: 'transferred', 去世: 'died', 重新分配: 'reassigned', 其他: 'other' };

interface State {
  ctx: RowContext;
  /** constituent|name|phone → first row. */
  rows: Map<string, number>;
  /** constituent → row of its 主联系人 in this file. */
  primaries: Map<string, number>;
}

/** The staged rows resolved against the registry: the household (living 户主), business, and the member in the village. */
function resolved(jobId: string): SQL {
  // Joins rather than per-row lookups: a 300,000-row file resolves in a few hash joins.
  return sql`
    WITH s AS (
      SELECT i.row, (i.data->>'orgId')::uuid AS org_id, i.data->>'idHash' AS id_hash, i.data->>'credit' AS credit,
             i.data->>'name' AS name, i.data->>'phone' AS phone, i.data->>'role' AS role, i.data->>'replace' AS replace
      FROM import_rows i WHERE i.job_id = ${jobId}),
    hh AS (
      -- residents_id_hash_key: one living resident per ID number, so one household per hash.
      SELECT x.id_number_hash AS id_hash, h.id, h.org_id FROM residents x JOIN households h ON h.id = x.household_id
      WHERE x.id_number_hash IN (SELECT id_hash FROM s WHERE id_hash IS NOT NULL)
        AND x.left_on IS NULL AND x.relation = '户主' AND h.removed_at IS NULL),
    bz AS (
      SELECT DISTINCT ON (b.credit_code) b.credit_code AS credit, b.id, b.org_id FROM businesses b
      WHERE b.credit_code IN (SELECT credit FROM s WHERE credit IS NOT NULL) AND b.removed_at IS NULL
      ORDER BY b.credit_code, b.created_at),
    cand AS (
      SELECT p.id, p.org_id, p.name, p.work_phone FROM people p
      WHERE (p.org_id, p.name) IN (SELECT org_id, name FROM s)),
    by_name AS (SELECT org_id, name, count(*)::int AS n, min(id::text)::uuid AS id FROM cand GROUP BY org_id, name),
    by_phone AS (SELECT org_id, name, work_phone, count(*)::int AS n, min(id::text)::uuid AS id FROM cand WHERE work_phone IS NOT NULL GROUP BY org_id, name, work_phone),
    r AS (
      SELECT s.*, hh.id AS household_id, hh.org_id AS h_org, bz.id AS business_id, bz.org_id AS b_org,
             CASE WHEN s.phone IS NULL THEN coalesce(bn.n, 0) ELSE coalesce(bp.n, 0) END AS n,
             CASE WHEN s.phone IS NULL THEN CASE WHEN bn.n = 1 THEN bn.id END ELSE CASE WHEN bp.n = 1 THEN bp.id END END AS person_id
      FROM s
      LEFT JOIN hh ON hh.id_hash = s.id_hash
      LEFT JOIN bz ON bz.credit = s.credit
      LEFT JOIN by_name bn ON bn.org_id = s.org_id AND bn.name = s.name
      LEFT JOIN by_phone bp ON bp.org_id = s.org_id AND bp.name = s.name AND bp.work_phone = s.phone)`;
}

export const linksKind: KindSpec<State> = {
  kind: 'links',
  sheet: LINK_SHEET,
  columns: LINK_COLUMNS,
  widths: { 1: 22, 2: 22 },
  templateName: '党员联户关系导入',
  auditAction: 'link.import',
  analyze: ['links'],
  notes: [
    `在“${LINK_SHEET}”表每条联户关系填一行。村（社区）代码为 12 位统计用区划代码，只能导入本人管辖范围内的村（社区）。`,
    '联系住户时填写该户户主的身份证号（文本格式）；联系企业、商户时填写其统一社会信用代码；两者填且只填一项。联系对象须已登记在该村（社区）。',
    '党员姓名须与该村（社区）登记的党员一致；同村有同名党员时请填写党员工作电话以区分。',
    '联系类型填“主联系人”或“协助”。每个联系对象只能有一名主联系人。',
    `更换原因：对象已有主联系人、要换成本行的党员时填写（${Object.keys(REPLACE_REASONS).join('、')}），原联系关系以今天为结束日期并记录原因，历史保留；不填则该行报错，不会误换。新建联系时留空。`,
  ],
  example: (village) => [`${EXAMPLE_MARK}：${village}`, '（户主的 18 位身份证号，文本格式）', '', '王建国', '', '主联系人', ''],
  lists: { 5: { values: Object.keys(ROLES), strict: true }, 6: { values: Object.keys(REPLACE_REASONS), strict: true } },
  start: (ctx) => ({ ctx, rows: new Map(), primaries: new Map() }),
  row(cells, raw, st, issues, rowNumber) {
    const cols = LINK_COLUMNS;
    const code = required(cells, cols, issues, 0, 40);
    const village = villageOf(st.ctx, code, cols[0], issues);
    let idNumber = optional(cells, cols, issues, 1, 18)?.toUpperCase() ?? null;
    if (idNumber && typeof raw[2] === 'number') { issues.push({ column: cols[1], reason: '身份证号请以文本格式填写（数字格式会丢失末位）' }); idNumber = null; }
    else if (idNumber && !/^\d{17}[\dX]$/.test(idNumber)) { issues.push({ column: cols[1], reason: '身份证号码应为18位' }); idNumber = null; }
    else if (idNumber && !isValidIdNumber(idNumber)) { issues.push({ column: cols[1], reason: '身份证号码校验位不正确或出生日期无效' }); idNumber = null; }
    let credit = optional(cells, cols, issues, 2, 18)?.toUpperCase() ?? null;
    if (credit && !isValidCreditCode(credit)) { issues.push({ column: cols[2], reason: '统一社会信用代码格式或校验位不正确' }); credit = null; }
    if (!cells[1] && !cells[2]) issues.push({ column: cols[1], reason: '请填写户主身份证号或统一社会信用代码' });
    if (cells[1] && cells[2]) issues.push({ column: cols[2], reason: '户主身份证号和统一社会信用代码只能填一项' });
    const name = required(cells, cols, issues, 3, 40);
    const phone = optional(cells, cols, issues, 4, 20);
    if (phone && !PHONE.test(phone)) issues.push({ column: cols[4], reason: '电话号码格式不正确' });
    const roleText = required(cells, cols, issues, 5, 10);
    const role = roleText ? ROLES[roleText] : undefined;
    if (roleText && !role) issues.push({ column: cols[5], reason: '联系类型应为“主联系人”或“协助”' });
    const replaceText = optional(cells, cols, issues, 6, 10);
    const replace = replaceText ? REPLACE_REASONS[replaceText] ?? null : null;
    if (replaceText && !replace) issues.push({ column: cols[6], reason: `更换原因应为：${Object.keys(REPLACE_REASONS).join('、')}` });
    if (replaceText && role === 'helper') issues.push({ column: cols[6], reason: '“协助”不更换主联系人，请将更换原因留空' });
    const idHash = idNumber ? keyedHash(st.ctx.ring, idNumber) : null;
    const constituent = idHash ? `h:${idHash}` : credit ? `b:${credit}` : null;
    if (constituent && name) {
      const key = `${constituent}|${name}|${phone ?? ''}`;
      const first = st.rows.get(key);
      if (first) issues.push({ column: cols[3], reason: `与第 ${first} 行重复（同一联系对象和党员）` });
      else st.rows.set(key, rowNumber);
    }
    if (constituent && role === 'primary') {
      const first = st.primaries.get(constituent);
      if (first) issues.push({ column: cols[5], reason: `第 ${first} 行已为该联系对象指定主联系人，每个联系对象只能有一名主联系人` });
      else st.primaries.set(constituent, rowNumber);
    }
    if (issues.length || !village) return null;
    return { orgId: village.id, idHash, credit, name, phone, role, replace };
  },

  async crossCheck(db, jobId) {
    const { rows } = await db.execute<{
      row: number; household: boolean; found: boolean; elsewhere: boolean; n: number; holder: string | null; replace: string | null;
      same: boolean; dup_of: number | null;
    }>(sql`
      ${resolved(jobId)},
      checked AS (
        SELECT r.row, r.id_hash IS NOT NULL AS household,
               coalesce(r.household_id, r.business_id) IS NOT NULL AS found,
               coalesce(r.h_org, r.b_org) IS DISTINCT FROM r.org_id AS elsewhere, r.n,
               CASE WHEN r.role = 'primary' THEN (
                 SELECT p.name FROM links l JOIN people p ON p.id = l.person_id
                 WHERE l.role = 'primary' AND l.ends_on IS NULL AND (l.household_id = r.household_id OR l.business_id = r.business_id) LIMIT 1)
               END AS holder, r.replace,
               (r.person_id IS NOT NULL AND EXISTS (
                 SELECT 1 FROM links l WHERE l.ends_on IS NULL AND l.person_id = r.person_id
                   AND (l.household_id = r.household_id OR l.business_id = r.business_id))) AS same,
               CASE WHEN r.person_id IS NOT NULL AND coalesce(r.household_id, r.business_id) IS NOT NULL THEN
                 first_value(r.row) OVER (PARTITION BY coalesce(r.household_id, r.business_id), r.person_id ORDER BY r.row) END AS dup_of
        FROM r)
      SELECT * FROM checked
      WHERE NOT found OR elsewhere OR n <> 1 OR (holder IS NOT NULL AND replace IS NULL) OR same OR dup_of <> row
      ORDER BY row`);
    const out: { row: number; column: string; reason: string }[] = [];
    for (const r of rows) {
      const col = r.household ? LINK_COLUMNS[1] : LINK_COLUMNS[2];
      if (!r.found) out.push({ row: r.row, column: col, reason: r.household ? '未找到该身份证号对应的在册户主' : '未找到该统一社会信用代码对应的企业或商户' });
      else if (r.elsewhere) out.push({ row: r.row, column: col, reason: r.household ? '该户不属于所填的村（社区）' : '该企业或商户不属于所填的村（社区）' });
      if (r.n === 0) out.push({ row: r.row, column: LINK_COLUMNS[3], reason: '该村（社区）没有此姓名（及工作电话）的党员' });
      else if (r.n > 1) out.push({ row: r.row, column: LINK_COLUMNS[3], reason: `该村（社区）有 ${r.n} 名同名党员，请填写党员工作电话以区分` });
      if (r.found && !r.elsewhere && r.n === 1) {
        if (r.same) out.push({ row: r.row, column: LINK_COLUMNS[3], reason: '该党员已联系此对象' });
        else if (r.holder && !r.replace) out.push({ row: r.row, column: LINK_COLUMNS[6], reason: `该联系对象已有主联系人：${r.holder}；如需更换，请填写更换原因` });
        if (r.dup_of !== null && r.dup_of !== r.row) out.push({ row: r.row, column: LINK_COLUMNS[3], reason: `与第 ${r.dup_of} 行重复（同一联系对象和党员）` });
      }
    }
    return out;
  },

  async merge(tx, jobId, m) {
    // Reassignment first: the replaced primary links end today with the row's reason (never overwritten — the history
    // keeps who held the link until when), then the new links are inserted below. Old holders' villages are recomputed too.
    const { rows: ended } = await tx.execute<{ person_org: string }>(sql`
      ${resolved(jobId)}
      UPDATE links l SET ends_on = greatest(${m.today}::date, l.starts_on), end_reason = r.replace
      FROM r, people p
      WHERE r.role = 'primary' AND r.replace IS NOT NULL AND l.role = 'primary' AND l.ends_on IS NULL AND p.id = l.person_id
        AND (l.household_id = r.household_id OR l.business_id = r.business_id)
      RETURNING p.org_id AS person_org`);
    const { rows } = await tx.execute<{ org_id: string; household: boolean; role: string }>(sql`
      ${resolved(jobId)}
      INSERT INTO links (person_id, household_id, business_id, role, org_id, starts_on, created_by)
      SELECT r.person_id, r.household_id, r.business_id, r.role, coalesce(r.h_org, r.b_org), ${m.today}, ${m.accountId}
      FROM r ORDER BY r.row
      RETURNING org_id, household_id IS NOT NULL AS household, role`);
    return {
      written: rows.length,
      orgIds: [...new Set([...rows.map((r) => r.org_id), ...ended.map((r) => r.person_org)])],
      after: {
        households: rows.filter((r) => r.household).length, businesses: rows.filter((r) => !r.household).length,
        primary: rows.filter((r) => r.role === 'primary').length, replaced: ended.length,
      },
    };
  },
};
