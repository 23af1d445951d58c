import type pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';
import { cellText, xlsxStream } from '../../lib/xlsx-export.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { readRoots } from './links.policy.ts';
import * as repo from './links.repo.ts';
import type { Ctx } from './links.service.ts';

const KIND: Record<string, string> = { household: '住户', enterprise: '企业', shop: '商户', team: '班组' };
const ROLE: Record<string, string> = { primary: '主联系人', helper: '协助' };
const FETCH = 1000;
const dialect = new PgDialect();

type RosterRow = { village: string; member: string; work_phone: string | null; role: string; kind: string; label: string; address: string; grid: string | null; starts_on: string };
type UnlinkedRow = { village: string; kind: string; label: string; address: string; grid: string | null };

/**
 * 党员联户名册: every current link in the scope (sheet 联户名册: village, member, work phone, primary/helper, the
 * constituent, grid, since) and every constituent without a primary member (sheet 未联系对象) — what a village or
 * town office files or checks on paper. Only names, addresses and members' published work phones, as on the posted
 * 联户示意图: no ID numbers, residents' phones or tags. Read through a server-side cursor on one connection (one
 * sort, 1,000 rows per fetch, never the whole list in memory), so a town or the whole zone streams as well as a
 * village. Registry readers in their subtree; audited with the scope and row counts.
 */
export async function exportRoster(ctx: Ctx, code: string | undefined) {
  const roots = readRoots(ctx.grants);
  if (!roots.length) throw errors.forbidden('当前角色无权导出联户名册');
  let orgPath: string | null = null;
  let orgName = '全部';
  if (code) {
    const org = await repo.orgByCode(ctx.db, code);
    if (!org || !within(org.path, roots)) throw errors.notFound();
    orgPath = org.path;
    orgName = org.name;
  }
  const scope = sql`(${underAny(sql`o.path`, roots)}) ${orgPath ? sql`AND (o.path = ${orgPath} OR o.path LIKE ${likePrefix(orgPath)})` : sql``}`;
  const roster = sql`
    SELECT o.short_name AS village, p.name AS member, p.work_phone, l.role,
           CASE WHEN l.household_id IS NOT NULL THEN 'household' ELSE b.kind END AS kind,
           coalesce(h.head_name || '户', b.name) AS label, coalesce(h.address, b.address) AS address,
           g.short_name AS grid, to_char(l.starts_on, 'YYYY-MM-DD') AS starts_on
    FROM links l
    JOIN orgs o ON o.id = l.org_id
    JOIN people p ON p.id = l.person_id
    LEFT JOIN households h ON h.id = l.household_id
    LEFT JOIN businesses b ON b.id = l.business_id
    LEFT JOIN orgs g ON g.id = coalesce(h.grid_id, b.grid_id)
    WHERE l.ends_on IS NULL AND ${scope}
    ORDER BY o.sort_key, p.name, p.id, l.role <> 'primary', 6, l.id`;
  const unlinked = sql`
    SELECT * FROM (
      SELECT o.short_name AS village, o.sort_key, 'household' AS kind, h.head_name || '户' AS label, h.address, h.address_norm,
             g.short_name AS grid, h.id
      FROM households h JOIN orgs o ON o.id = h.org_id LEFT JOIN orgs g ON g.id = h.grid_id
      WHERE h.removed_at IS NULL AND ${scope}
        AND NOT EXISTS (SELECT 1 FROM links l WHERE l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL)
      UNION ALL
      SELECT o.short_name, o.sort_key, b.kind, b.name, b.address, b.address_norm, g.short_name, b.id
      FROM businesses b JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs g ON g.id = b.grid_id
      WHERE b.removed_at IS NULL AND ${scope}
        AND NOT EXISTS (SELECT 1 FROM links l WHERE l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL)) u
    ORDER BY sort_key, grid NULLS LAST, address_norm, id`;

  const { stream, wb, ws } = xlsxStream('联户名册', [
    { header: '序号', key: 'n', width: 7 }, { header: '村（社区）', key: 'village', width: 14 },
    { header: '党员姓名', key: 'member', width: 10 }, { header: '党员工作电话', key: 'phone', width: 15 },
    { header: '联系类型', key: 'role', width: 9 }, { header: '对象类型', key: 'kind', width: 8 },
    { header: '户主（名称）', key: 'label', width: 24 }, { header: '地址', key: 'address', width: 32 },
    { header: '网格', key: 'grid', width: 10 }, { header: '联系起始日期', key: 'since', width: 13 },
  ]);
  const today = todayInShanghai();

  // Written in the background: the response streams while the cursor is read; a failure ends the stream with an error.
  void (async () => {
    let client: pg.PoolClient | null = null;
    const counts = { links: 0, unlinked: 0 };
    try {
      client = await (ctx.db as Db & { $client: pg.Pool }).$client.connect();
      await client.query('BEGIN READ ONLY'); // a cursor lives in a transaction; one snapshot for both sheets
      await each(client, roster, (r: RosterRow) => {
        counts.links++;
        ws.addRow({
          n: counts.links, village: cellText(r.village), member: cellText(r.member), phone: cellText(r.work_phone), role: ROLE[r.role] ?? r.role,
          kind: KIND[r.kind] ?? r.kind, label: cellText(r.label), address: cellText(r.address), grid: cellText(r.grid), since: r.starts_on,
        }).commit();
      });
      ws.commit();
      const un = wb.addWorksheet('未联系对象');
      un.columns = [
        { header: '序号', key: 'n', width: 7 }, { header: '村（社区）', key: 'village', width: 14 }, { header: '对象类型', key: 'kind', width: 8 },
        { header: '户主（名称）', key: 'label', width: 24 }, { header: '地址', key: 'address', width: 32 }, { header: '网格', key: 'grid', width: 10 },
      ];
      un.getRow(1).font = { bold: true };
      await each(client, unlinked, (r: UnlinkedRow) => {
        counts.unlinked++;
        un.addRow({ n: counts.unlinked, village: cellText(r.village), kind: KIND[r.kind] ?? r.kind, label: cellText(r.label), address: cellText(r.address), grid: cellText(r.grid) }).commit();
      });
      un.commit();
      await client.query('COMMIT');
      // Audited before the last bytes go out, so a finished download always has its audit event.
      await appendAudit(ctx.db, ctx.req, { action: 'link.export', entityType: 'org', after: { org: code ?? null, ...counts } });
      await wb.commit();
    } catch (e) {
      await client?.query('ROLLBACK').catch(() => {});
      ctx.req.log.error({ err: e }, 'link roster export failed');
      stream.destroy(e as Error);
    } finally {
      client?.release();
    }
  })();
  return { stream, filename: `党员联户名册-${orgName}-${today}.xlsx` };
}

/** Runs `query` through a cursor inside the client's open transaction, calling `row` for each row, FETCH rows at a time. */
async function each<T>(client: pg.PoolClient, query: SQL, row: (r: T) => void): Promise<void> {
  const q = dialect.sqlToQuery(query);
  await client.query(`DECLARE lx_export NO SCROLL CURSOR FOR ${q.sql}`, q.params);
  for (;;) {
    const { rows } = await client.query<T & object>(`FETCH ${FETCH} FROM lx_export`);
    for (const r of rows) row(r);
    if (rows.length < FETCH) break;
  }
  await client.query('CLOSE lx_export');
}
