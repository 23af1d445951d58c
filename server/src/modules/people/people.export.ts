import type { PassThrough } from 'node:stream';
import type { PersonExportQuery } from '@lianxin/contracts';
import { decrypt } from '../../lib/crypto.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { maskPhone } from '../../lib/id-number.ts';
import { cellText, EXPORT_BATCH, xlsxStream } from '../../lib/xlsx-export.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { loadStatus, loadTargets } from '../links/links.service.ts';
import { ageFrom } from './people.presenter.ts';
import * as repo from './people.repo.ts';
import { listOptions, type Ctx } from './people.service.ts';

const ACCOUNT = { none: '未开通', active: '已开通', never_logged_in: '从未登录', disabled: '已停用' } as const;
const LOAD = { under: '偏少', within: '适中', over: '偏多' } as const;
const LEFT = { died: '去世', transferred_out: '迁出', removed: '除名' } as const;

/**
 * 党员名册 as xlsx, streamed in keyset batches, within the caller's scope and the list's filters; phones masked (the
 * full number only through the audited reveal, one at a time). Audited with the filters and the row count.
 */
export async function exportPeople(ctx: Ctx, q: PersonExportQuery): Promise<{ stream: PassThrough; filename: string }> {
  const opts = await listOptions(ctx, q);
  const member = q.kind === 'member';
  const { stream, wb, ws } = xlsxStream(member ? '党员名册' : '志愿者等名册', [
    { header: '村（社区）', key: 'org', width: 14 }, { header: '姓名', key: 'name', width: 10 },
    { header: '性别', key: 'sex', width: 6 }, { header: '年龄', key: 'age', width: 6 },
    { header: member ? '入党日期' : '类别', key: 'since', width: 12 }, { header: '手机号码', key: 'phone', width: 14 },
    { header: '工作电话', key: 'work', width: 14 }, { header: '流动党员', key: 'mobile', width: 9 },
    { header: '双报到', key: 'dual', width: 8 }, { header: '网格', key: 'grid', width: 12 },
    { header: '联系户数', key: 'load', width: 9 }, { header: '联户情况', key: 'loadStatus', width: 9 },
    { header: '账号', key: 'account', width: 9 }, ...(opts.left ? [{ header: '离开名册', key: 'left', width: 16 }] : []),
  ]);
  const today = todayInShanghai();
  // Written in the background: the response streams while batches are read; a failure ends the stream with an error.
  void (async () => {
    let after: repo.ListFilter['after'] = null;
    let rows = 0;
    try {
      for (;;) {
        const batch = await repo.listPeople(ctx.db, { ...opts, after, limit: EXPORT_BATCH });
        const page = batch.slice(0, EXPORT_BATCH);
        // Each row's status against its own village's target (目标联户数 may differ per village).
        const targets = await loadTargets(ctx.db, [...new Set(page.map((p) => p.org_code))]);
        for (const p of page) {
          rows++;
          const status = loadStatus(p.load, targets.get(p.org_code) ?? opts.target);
          ws.addRow({
            org: cellText(p.org_name), name: cellText(p.name), sex: p.sex === 'M' ? '男' : '女', age: ageFrom(p.birth_year, today) ?? '',
            since: member ? (p.member_since ?? '') : cellText(p.helper_kind), phone: p.phone_enc ? maskPhone(decrypt(ctx.ring, p.phone_enc)) : '',
            work: cellText(p.work_phone), mobile: p.mobile ? '是' : '', dual: p.dual_registered ? '是' : '', grid: cellText(p.grid_name),
            load: p.load, loadStatus: LOAD[status], account: ACCOUNT[p.account_status],
            left: p.left_reason ? `${p.left_on} ${LEFT[p.left_reason]}` : '',
          }).commit();
        }
        if (batch.length <= EXPORT_BATCH) break;
        const last = page[page.length - 1]!;
        after = [last.k1, last.k2, last.id];
      }
      // Audited before the last bytes go out, so a finished download always has its audit event.
      await appendAudit(ctx.db, ctx.req, { action: 'person.export', entityType: 'person', after: { ...q, rows } });
      await wb.commit();
    } catch (e) {
      ctx.req.log.error({ err: e }, 'people export failed');
      stream.destroy(e as Error);
    }
  })();
  return { stream, filename: `${member ? '党员名册' : '志愿者等名册'}-${q.org ?? '全部'}-${today}.xlsx` };
}
