import ExcelJS from '../../lib/exceljs.ts';
import { PassThrough } from 'node:stream';
import { errors } from '../../errors.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskIdNumber, maskPhone } from '../../lib/id-number.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { within } from '../auth/scope.ts';
import { registryRoots } from '../auth/scope.ts';
import { assertRegistryRole, readerOf } from './households.policy.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { ageOn } from './households.presenter.ts';
import * as repo from './households.repo.ts';
import type { Ctx } from './households.service.ts';
import { assertFullExport, cellText } from '../../lib/xlsx-export.ts';

const AWAY: Record<string, string> = { city: '省内市外', province: '省外', abroad: '国外' };
const BATCH = 500;

/** The export's filters; `reason` set means unmasked (reached only through a download token: see the routes). */
export interface ExportQuery { org?: string; tag?: string; q?: string; away?: 'true' | 'false' }

/**
 * What an export may cover: the org must be in the caller's scope; unmasked (a reason given) needs the reveal
 * permission over everything exported. Checked when the download token is issued and again when it is used.
 */
export async function exportScope(ctx: Ctx, q: ExportQuery, reason: string | null) {
  const rd = readerOf(ctx.grants, ctx.req.auth?.account.personId ?? null);
  assertRegistryRole(rd);
  let orgPath: string | undefined;
  let orgName = '全部';
  if (q.org) {
    const org = await repo.orgByCode(ctx.db, q.org);
    if (!org || !within(org.path, rd.roots)) throw errors.notFound();
    orgPath = org.path;
    orgName = q.org;
  }
  if (reason !== null) {
    assertFullExport({ reason, orgPath, readRoots: rd.roots, revealRoots: registryRoots(ctx.grants, 'reveal'), what: '身份证号' });
  }
  return { rd, orgPath, orgName };
}

/**
 * Streams the households and residents in the caller's scope as xlsx, one row per resident, in batches of 500
 * households (never the whole list in memory). ID numbers and phones are masked unless a reason is given (unmasked:
 * the reveal permission over the exported org). Every export is audited with its filters, reason and row count.
 */
export async function exportHouseholds(ctx: Ctx, q: ExportQuery, reason: string | null): Promise<{ stream: PassThrough; filename: string }> {
  const { rd, orgPath, orgName } = await exportScope(ctx, q, reason);
  const full = reason !== null;
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('居民名单');
  ws.columns = [
    { header: '村（社区）', key: 'org', width: 14 }, { header: '网格', key: 'grid', width: 10 },
    { header: '地址', key: 'address', width: 30 }, { header: '户主', key: 'head', width: 10 },
    { header: '标签', key: 'tags', width: 16 }, { header: '姓名', key: 'name', width: 10 },
    { header: '性别', key: 'sex', width: 6 }, { header: '出生日期', key: 'birth', width: 12 },
    { header: '年龄', key: 'age', width: 6 }, { header: '与户主关系', key: 'relation', width: 10 },
    { header: '身份证号', key: 'id', width: 22 }, { header: '联系电话', key: 'phone', width: 14 },
    { header: '在外', key: 'away', width: 16 },
  ];
  ws.getRow(1).font = { bold: true };
  const today = todayInShanghai();
  const filters = { org: q.org, tag: q.tag, q: q.q, away: q.away, full };

  // Written in the background: the HTTP response streams while batches are read; failures end the stream with an error.
  void (async () => {
    let after: repo.ListFilter['after'] = null;
    let households = 0;
    let residents = 0;
    try {
      for (;;) {
        const rows = await repo.listHouseholds(ctx.db, {
          reader: rd, orgPath, q: q.q, tag: q.tag, away: q.away === undefined ? undefined : q.away === 'true', after, limit: BATCH,
        });
        const page = rows.slice(0, BATCH);
        const byHousehold = new Map<string, repo.ResidentRow[]>();
        for (const r of await repo.residentsOfMany(ctx.db, page.map((h) => h.id))) {
          (byHousehold.get(r.household_id) ?? byHousehold.set(r.household_id, []).get(r.household_id)!).push(r);
        }
        for (const h of page) {
          households++;
          for (const r of byHousehold.get(h.id) ?? []) {
            residents++;
            const id = decrypt(ctx.ring, r.id_number_enc);
            const phone = r.phone_enc ? decrypt(ctx.ring, r.phone_enc) : null;
            ws.addRow({
              org: cellText(h.org_name), grid: cellText(h.grid_name), address: cellText(h.address), head: cellText(h.head_name),
              tags: cellText(h.tags.join('、')), name: cellText(r.name), sex: r.sex === 'M' ? '男' : '女', birth: r.birth_date,
              age: ageOn(r.birth_date, today), relation: cellText(r.relation),
              id: full ? id : maskIdNumber(id), phone: phone ? (full ? phone : maskPhone(phone)) : '',
              away: r.away_scope ? cellText(`${AWAY[r.away_scope]}${r.away_place ? ' ' + r.away_place : ''}`) : '',
            }).commit();
          }
        }
        if (rows.length <= BATCH) break;
        const last = page[page.length - 1]!;
        after = { sort: last.org_sort, addressNorm: last.address_norm, id: last.id };
      }
      // Audited before the last bytes go out, so a finished download always has its audit event.
      await appendAudit(ctx.db, ctx.req, { action: 'household.export', entityType: 'household', after: { ...filters, reason, households, residents } });
      await wb.commit();
    } catch (e) {
      ctx.req.log.error({ err: e }, 'household export failed');
      stream.destroy(e as Error);
    }
  })();
  return { stream, filename: `居民名单-${orgName}-${today}.xlsx` };
}
