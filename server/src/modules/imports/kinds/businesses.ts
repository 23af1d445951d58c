import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { encrypt } from '../../../lib/crypto.ts';
import { phoneTail } from '../../../lib/id-number.ts';
import { initials } from '../../../lib/pinyin.ts';
import { isValidCreditCode } from '../../../lib/credit-code.ts';
import { PHONE } from '../imports.cells.ts';
import { EXAMPLE_MARK } from '../imports.template.ts';
import { optional, required, villageOf, type KindSpec, type RowContext } from './run.ts';

/** 企业商户: one row per enterprise, shop or team, the columns of POST /api/v1/businesses; a team names its enterprise by credit code. */
export const BUSINESS_SHEET = '企业商户';
export const BUSINESS_COLUMNS = [
  '类型', '村（社区）代码', '网格代码', '名称', '地址', '统一社会信用代码', '所属企业信用代码', '联系人', '联系电话', '从业人数',
] as const;
const KINDS: Record<string, 'enterprise' | 'shop' | 'team'> = { 企业: 'enterprise', 商户: 'shop', 个体工商户: 'shop', 班组: 'team' };

interface State { ctx: RowContext; credits: Map<string, number> }

export const businessesKind: KindSpec<State> = {
  kind: 'businesses',
  sheet: BUSINESS_SHEET,
  columns: BUSINESS_COLUMNS,
  widths: { 3: 28, 4: 32, 5: 22, 6: 22 },
  templateName: '企业商户导入',
  auditAction: 'business.import',
  analyze: ['businesses'],
  notes: [
    `在“${BUSINESS_SHEET}”表每家企业、商户或班组填一行。类型填“企业”“商户”（或“个体工商户”）“班组”。`,
    '村（社区）代码为 12 位统计用区划代码，只能导入本人管辖范围内的村（社区）；网格代码可不填，填写时须属于该村（社区）。',
    '统一社会信用代码（18 位，按 GB 32100 校验）企业、商户可不填，班组不填；同一代码不能重复登记（本文件内或系统中）。',
    '班组须填写所属企业信用代码：该企业须是同一村（社区）的企业，已登记在系统中或在本文件中。',
    '联系电话为手机号或固定电话（如 0391-1234567），系统加密保存；从业人数填整数。',
  ],
  example: (village) => [`${EXAMPLE_MARK}：商户`, village, '', '幸福超市', '3组 20号', '', '', '张三', '13800000000', '3'],
  lists: { 0: { values: Object.keys(KINDS), strict: true } },
  start: (ctx) => ({ ctx, credits: new Map() }),
  row(cells, raw, st, issues, rowNumber) {
    const cols = BUSINESS_COLUMNS;
    const kindText = required(cells, cols, issues, 0, 10);
    const kind = kindText ? KINDS[kindText] : undefined;
    if (kindText && !kind) issues.push({ column: cols[0], reason: '类型应为“企业”“商户”“个体工商户”或“班组”' });
    const village = villageOf(st.ctx, required(cells, cols, issues, 1, 40), cols[1], issues);
    let gridId: string | null = null;
    const gridCode = optional(cells, cols, issues, 2, 40);
    if (gridCode && village) {
      const grid = st.ctx.orgs.get(gridCode);
      if (!grid || grid.level !== 'grid' || !grid.path.startsWith(village.path + '/')) issues.push({ column: cols[2], reason: '网格不属于该村（社区）' });
      else gridId = grid.id;
    }
    const name = required(cells, cols, issues, 3, 80);
    const address = required(cells, cols, issues, 4, 120);
    const credit = optional(cells, cols, issues, 5, 18)?.toUpperCase() ?? null;
    if (credit) {
      if (kind === 'team') issues.push({ column: cols[5], reason: '班组没有统一社会信用代码，请不要填写' });
      else if (!isValidCreditCode(credit)) issues.push({ column: cols[5], reason: '统一社会信用代码格式或校验位不正确（18 位，不含 I、O、Z、S、V）' });
      else {
        const first = st.credits.get(credit);
        if (first) issues.push({ column: cols[5], reason: `统一社会信用代码与第 ${first} 行重复` });
        else st.credits.set(credit, rowNumber);
      }
    }
    const parent = optional(cells, cols, issues, 6, 18)?.toUpperCase() ?? null;
    if (kind === 'team' && !parent) issues.push({ column: cols[6], reason: '班组须填写所属企业信用代码' });
    if (kind && kind !== 'team' && parent) issues.push({ column: cols[6], reason: '只有班组填写所属企业信用代码' });
    if (kind === 'team' && parent && !isValidCreditCode(parent)) issues.push({ column: cols[6], reason: '所属企业信用代码格式或校验位不正确' });
    const contactName = optional(cells, cols, issues, 7, 40);
    const phone = optional(cells, cols, issues, 8, 20);
    if (phone && typeof raw[9] === 'number' && !PHONE.test(phone)) issues.push({ column: cols[8], reason: '联系电话请以文本格式填写' });
    else if (phone && !PHONE.test(phone)) issues.push({ column: cols[8], reason: '电话号码格式不正确' });
    const employeesText = optional(cells, cols, issues, 9, 10);
    let employees: number | null = null;
    if (employeesText) {
      if (!/^\d+$/.test(employeesText) || Number(employeesText) > 1_000_000) issues.push({ column: cols[9], reason: '从业人数应为 0 到 1,000,000 的整数' });
      else employees = Number(employeesText);
    }
    if (issues.length || !village || !kind) return null;
    return {
      id: randomUUID(), kind, orgId: village.id, gridId, name: name!, initials: initials(name!), address: address!, credit,
      parent: kind === 'team' ? parent : null, contactName, phoneEnc: phone ? encrypt(st.ctx.ring, phone) : null,
      phoneTail: phone ? phoneTail(phone) : null, employees,
    };
  },

  async crossCheck(db, jobId) {
    const { rows } = await db.execute<{ row: number; column: string; reason: string }>(sql`
      WITH s AS (
        SELECT i.row, i.data->>'kind' AS kind, (i.data->>'orgId')::uuid AS org_id, i.data->>'credit' AS credit, i.data->>'parent' AS parent
        FROM import_rows i WHERE i.job_id = ${jobId})
      SELECT s.row, ${BUSINESS_COLUMNS[5]}::text AS "column", '该统一社会信用代码已登记'::text AS reason
      FROM s WHERE s.credit IS NOT NULL AND EXISTS (SELECT 1 FROM businesses b WHERE b.credit_code = s.credit AND b.removed_at IS NULL)
      UNION ALL
      SELECT s.row, ${BUSINESS_COLUMNS[6]}::text, '所属企业不存在，或不是本村（社区）的企业'::text
      FROM s WHERE s.kind = 'team'
        AND NOT EXISTS (SELECT 1 FROM s p WHERE p.credit = s.parent AND p.kind = 'enterprise' AND p.org_id = s.org_id)
        AND NOT EXISTS (SELECT 1 FROM businesses b WHERE b.credit_code = s.parent AND b.removed_at IS NULL AND b.kind = 'enterprise' AND b.org_id = s.org_id)
      ORDER BY 1`);
    return rows;
  },

  async merge(tx, jobId) {
    // A credit code registered since the checks (a concurrent registration) violates businesses_credit_code_live_key:
    // the whole merge fails (run.ts reports it), never a duplicate.
    const { rows } = await tx.execute<{ org_id: string; kind: string }>(sql`
      WITH s AS (SELECT i.row, i.data AS d FROM import_rows i WHERE i.job_id = ${jobId}),
      -- A team's enterprise: in the file (checked: same village) or registered; keyed by credit code.
      parents AS (
        SELECT DISTINCT ON (credit) credit, id FROM (
          SELECT d->>'credit' AS credit, (d->>'id')::uuid AS id, 0 AS pref FROM s WHERE d->>'kind' = 'enterprise' AND d->>'credit' IS NOT NULL
          UNION ALL
          SELECT b.credit_code, b.id, 1 FROM businesses b
          WHERE b.kind = 'enterprise' AND b.removed_at IS NULL AND b.credit_code IN (SELECT d->>'parent' FROM s WHERE d->>'kind' = 'team')) x
        ORDER BY credit, pref)
      INSERT INTO businesses (id, kind, org_id, grid_id, parent_id, name, name_initials, address, credit_code, contact_name, contact_phone_enc,
                              contact_phone_tail, employees)
      SELECT (d->>'id')::uuid, d->>'kind', (d->>'orgId')::uuid, (d->>'gridId')::uuid, p.id,
             d->>'name', d->>'initials', d->>'address', d->>'credit', d->>'contactName', d->>'phoneEnc', d->>'phoneTail',
             (d->>'employees')::int
      FROM s LEFT JOIN parents p ON d->>'kind' = 'team' AND p.credit = d->>'parent'
      ORDER BY s.row
      RETURNING org_id, kind`);
    const by = (k: string) => rows.filter((r) => r.kind === k).length;
    return {
      written: rows.length,
      orgIds: [...new Set(rows.map((r) => r.org_id))],
      after: { enterprises: by('enterprise'), shops: by('shop'), teams: by('team') },
    };
  },
};
