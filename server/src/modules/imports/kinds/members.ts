import { sql } from 'drizzle-orm';
import { DATE_EXAMPLES, parseDateInput } from '../../../lib/date-input.ts';
import { initials } from '../../../lib/pinyin.ts';
import { PHONE } from '../imports.cells.ts';
import { EXAMPLE_MARK } from '../imports.template.ts';
import { optional, required, villageOf, type KindSpec, type RowContext } from './run.ts';

/** 党员 and helpers (志愿者, 积极分子, 非党干部): people rows of a village. A duplicate is the same village + name + work phone. */
export const MEMBER_SHEET = '党员';
export const MEMBER_COLUMNS = ['村（社区）代码', '姓名', '性别', '出生年份', '工作电话', '入党日期', '类别', '流动党员'] as const;
const HELPER_KINDS = new Set(['志愿者', '积极分子', '非党干部']);

interface State { ctx: RowContext; seen: Map<string, number>; thisYear: number }

export const membersKind: KindSpec<State> = {
  kind: 'members',
  sheet: MEMBER_SHEET,
  columns: MEMBER_COLUMNS,
  templateName: '党员导入',
  auditAction: 'person.import',
  analyze: ['people'],
  notes: [
    `在“${MEMBER_SHEET}”表每人填一行。村（社区）代码为 12 位统计用区划代码，只能导入本人管辖范围内的村（社区）。`,
    '性别填“男”或“女”；出生年份填 4 位年份（如 1975）；工作电话为公开的联系电话（印在联系卡上），可不填。',
    `类别填“党员”“志愿者”“积极分子”或“非党干部”；党员须填写入党日期（如 ${DATE_EXAMPLES}），其他类别不填。`,
    '流动党员填“是”或“否”（不填为否），只适用于党员。',
    '同一村（社区）中姓名和工作电话都相同的视为同一人：本文件内或系统中已有的不能重复导入。',
  ],
  example: (village) => [`${EXAMPLE_MARK}：${village}`, '王建国', '男', '1970', '13800000000', '1998.7.1', '党员', '否'],
  lists: {
    2: { values: ['男', '女'], strict: true },
    6: { values: ['党员', ...HELPER_KINDS], strict: true },
    7: { values: ['是', '否'], strict: true },
  },
  start: (ctx) => ({ ctx, seen: new Map(), thisYear: Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())) }),
  row(cells, raw, st, issues, rowNumber) {
    const cols = MEMBER_COLUMNS;
    const village = villageOf(st.ctx, required(cells, cols, issues, 0, 40), cols[0], issues);
    const name = required(cells, cols, issues, 1, 40);
    const sexText = required(cells, cols, issues, 2, 2);
    const sex = sexText === '男' ? 'M' : sexText === '女' ? 'F' : null;
    if (sexText && !sex) issues.push({ column: cols[2], reason: '性别应为“男”或“女”' });
    const birthYear = optional(cells, cols, issues, 3, 4);
    if (birthYear && (!/^\d{4}$/.test(birthYear) || Number(birthYear) < 1900 || Number(birthYear) > st.thisYear - 14)) {
      issues.push({ column: cols[3], reason: `出生年份应为 1900 到 ${st.thisYear - 14} 的 4 位年份` });
    }
    const phone = optional(cells, cols, issues, 4, 20);
    if (phone && !PHONE.test(phone)) issues.push({ column: cols[4], reason: '电话号码格式不正确' });
    const category = required(cells, cols, issues, 6, 10);
    const isMember = category === '党员';
    if (category && !isMember && !HELPER_KINDS.has(category)) issues.push({ column: cols[6], reason: '类别应为“党员”“志愿者”“积极分子”或“非党干部”' });
    const sinceText = optional(cells, cols, issues, 5, 20);
    if (isMember && !sinceText) issues.push({ column: cols[5], reason: '党员须填写入党日期' });
    if (sinceText && category && !isMember) issues.push({ column: cols[5], reason: '非党员不填入党日期' });
    // raw[6] is the cell itself (1-based): a serial day or 19800701 typed as a number; a date cell's text is already ISO.
    const sinceIn = sinceText ? parseDateInput(typeof raw[6] === 'number' ? raw[6] : sinceText) : null;
    const since = sinceIn && 'date' in sinceIn ? sinceIn.date : null;
    if (sinceIn && 'error' in sinceIn) issues.push({ column: cols[5], reason: sinceIn.error });
    else if (since && since < '1921-07-01') issues.push({ column: cols[5], reason: '入党日期不能早于 1921-07-01' });
    else if (since && birthYear && Number(since.slice(0, 4)) < Number(birthYear) + 14) issues.push({ column: cols[5], reason: '入党日期早于出生年份 + 14 年' });
    const mobileText = optional(cells, cols, issues, 7, 2);
    if (mobileText && mobileText !== '是' && mobileText !== '否') issues.push({ column: cols[7], reason: '流动党员应填“是”或“否”' });
    if (mobileText === '是' && category && !isMember) issues.push({ column: cols[7], reason: '流动党员只适用于党员' });
    if (village && name) {
      const key = `${village.id}|${name}|${phone ?? ''}`;
      const first = st.seen.get(key);
      if (first) issues.push({ column: cols[1], reason: `与第 ${first} 行重复（同村同姓名同工作电话）` });
      else st.seen.set(key, rowNumber);
    }
    if (issues.length || !village) return null;
    return {
      orgId: village.id, kind: isMember ? 'member' : 'helper', name, initials: initials(name!), sex, birthYear, phone,
      since: isMember ? since : null, helperKind: isMember ? null : category, mobile: mobileText === '是',
    };
  },

  async crossCheck(db, jobId) {
    const { rows } = await db.execute<{ row: number; column: string; reason: string }>(sql`
      SELECT i.row, ${MEMBER_COLUMNS[1]}::text AS "column", '系统中该村（社区）已有同姓名、同工作电话的人员'::text AS reason
      FROM import_rows i
      WHERE i.job_id = ${jobId} AND EXISTS (
        SELECT 1 FROM people p WHERE p.org_id = (i.data->>'orgId')::uuid AND p.name = i.data->>'name'
          AND p.work_phone IS NOT DISTINCT FROM i.data->>'phone')
      ORDER BY i.row`);
    return rows;
  },

  async merge(tx, jobId) {
    const { rows } = await tx.execute<{ org_id: string; kind: string }>(sql`
      INSERT INTO people (org_id, kind, name, name_initials, sex, birth_year, work_phone, member_since, helper_kind, mobile)
      SELECT (d->>'orgId')::uuid, d->>'kind', d->>'name', d->>'initials', d->>'sex', d->>'birthYear', d->>'phone', (d->>'since')::date,
             d->>'helperKind', (d->>'mobile')::boolean
      FROM (SELECT i.row, i.data AS d FROM import_rows i WHERE i.job_id = ${jobId}) s ORDER BY s.row
      RETURNING org_id, kind`);
    // org_rollups.members counts party members per village (the org page's numbers).
    const perVillage = new Map<string, number>();
    for (const r of rows) if (r.kind === 'member') perVillage.set(r.org_id, (perVillage.get(r.org_id) ?? 0) + 1);
    if (perVillage.size) {
      await tx.execute(sql`
        INSERT INTO org_rollups (org_id, members, updated_at)
        SELECT o, n, now() FROM unnest(${sql.param([...perVillage.keys()])}::uuid[], ${sql.param([...perVillage.values()])}::int[]) AS t(o, n)
        ON CONFLICT (org_id) DO UPDATE SET members = org_rollups.members + EXCLUDED.members, updated_at = now()`);
    }
    const members = rows.filter((r) => r.kind === 'member').length;
    return { written: rows.length, orgIds: [...new Set(rows.map((r) => r.org_id))], after: { members, helpers: rows.length - members } };
  },
};
