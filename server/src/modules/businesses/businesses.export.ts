import type { BusinessExportQuery } from '@lianxin/contracts';
import { errors } from '../../errors.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskPhone } from '../../lib/id-number.ts';
import { assertFullExport, cellText, EXPORT_BATCH, xlsxStream } from '../../lib/xlsx-export.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { assertRegistryRole, readRoots } from './businesses.policy.ts';
import * as repo from './businesses.repo.ts';
import type { Ctx } from './businesses.service.ts';

const KIND: Record<repo.BusinessRow['kind'], string> = { enterprise: '企业', shop: '商户', team: '班组' };

/** The export's filters; a reason means unmasked (reached only through a download token: see the routes). */
export type ExportFilters = Omit<BusinessExportQuery, 'token'>;

/**
 * What an export may cover: the org must be in the caller's scope; unmasked (a reason given) needs the reveal
 * permission over everything exported. Checked when the download token is issued and again when it is used.
 */
export async function exportScope(ctx: Ctx, q: ExportFilters, reason: string | null) {
  assertRegistryRole(ctx.grants);
  const roots = readRoots(ctx.grants);
  const code = q.org ?? q.orgCode;
  let orgPath: string | undefined;
  let orgName = '全部';
  if (code) {
    const org = await repo.orgByCode(ctx.db, code);
    if (!org || !within(org.path, roots)) throw errors.notFound();
    orgPath = org.path;
    orgName = code;
  }
  if (reason !== null) assertFullExport({ reason, orgPath, readRoots: roots, revealRoots: registryRoots(ctx.grants, 'reveal'), what: '联系电话' });
  return { roots, code, orgPath, orgName };
}

/**
 * Streams the enterprises, shops and teams in the caller's scope as xlsx, in keyset batches of 500 (never the whole list
 * in memory), the same way as the households export. Contact phones are masked unless a reason is given (unmasked:
 * the reveal permission over the exported org). Every export is audited with its filters, reason and row count.
 */
export async function exportBusinesses(ctx: Ctx, q: ExportFilters, reason: string | null) {
  const { roots, code, orgPath, orgName } = await exportScope(ctx, q, reason);
  const full = reason !== null;

  const { stream, wb, ws } = xlsxStream('企业商户名单', [
    { header: '村（社区）', key: 'org', width: 14 }, { header: '网格', key: 'grid', width: 10 },
    { header: '类型', key: 'kind', width: 6 }, { header: '名称', key: 'name', width: 30 },
    { header: '所属企业', key: 'parent', width: 24 }, { header: '地址', key: 'address', width: 30 },
    { header: '统一社会信用代码', key: 'credit', width: 22 }, { header: '联系人', key: 'contact', width: 10 },
    { header: '联系电话', key: 'phone', width: 14 }, { header: '从业人数', key: 'employees', width: 8 },
    { header: '联户党员', key: 'member', width: 10 },
  ]);
  const today = todayInShanghai();
  const unlinked = q.unlinked === undefined ? undefined : q.unlinked === 'true';
  const filters = { org: code, kind: q.kind, q: q.q, unlinked: q.unlinked, full };

  // Written in the background: the HTTP response streams while batches are read; failures end the stream with an error.
  void (async () => {
    let after: repo.ListFilter['after'] = null;
    let rowsWritten = 0;
    try {
      for (;;) {
        const rows = await repo.listBusinesses(ctx.db, { reader: { roots, personId: null, memberBranches: [] }, orgPath, kind: q.kind, q: q.q, unlinked, after, limit: EXPORT_BATCH });
        const page = rows.slice(0, EXPORT_BATCH);
        for (const b of page) {
          rowsWritten++;
          const phone = b.contact_phone_enc ? decrypt(ctx.ring, b.contact_phone_enc) : null;
          ws.addRow({
            org: cellText(b.org_name), grid: cellText(b.grid_name), kind: KIND[b.kind], name: cellText(b.name),
            parent: cellText(b.parent_name), address: cellText(b.address), credit: cellText(b.credit_code),
            contact: cellText(b.contact_name), phone: phone ? (full ? phone : maskPhone(phone)) : '',
            employees: b.employees ?? '', member: cellText(b.linked_person_name),
          }).commit();
        }
        if (rows.length <= EXPORT_BATCH) break;
        const last = page[page.length - 1]!;
        after = { sort: last.org_sort, name: last.name, id: last.id };
      }
      // Audited before the last bytes go out, so a finished download always has its audit event.
      await appendAudit(ctx.db, ctx.req, { action: 'business.export', entityType: 'business', after: { ...filters, reason, rows: rowsWritten } });
      await wb.commit();
    } catch (e) {
      ctx.req.log.error({ err: e }, 'business export failed');
      stream.destroy(e as Error);
    }
  })();
  return { stream, filename: `企业商户名单-${orgName}-${today}.xlsx` };
}
