import type { AuditExportBody } from '@lianxin/contracts';
import { appendAudit } from '../../plugins/audit.ts';
import { cellText, EXPORT_BATCH, xlsxStream } from '../../lib/xlsx-export.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { assertCanReview } from './audit.policy.ts';
import { eventsForExport, type Ctx } from './audit.service.ts';

const SHANGHAI = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

const json = (v: unknown) => (v == null ? '' : cellText(JSON.stringify(v)));

/**
 * The filtered audit trail as xlsx, streamed in keyset batches, exactly as the search presents it (masked; bodies
 * withheld from the admin). The export is itself audited, with its filters and row count, before the last bytes go out.
 */
export async function exportEvents(ctx: Ctx, q: AuditExportBody) {
  assertCanReview(ctx.grants);
  const { stream, wb, ws } = xlsxStream('审计记录', [
    { header: '时间', key: 'at', width: 20 }, { header: '操作', key: 'action', width: 18 },
    { header: '操作代码', key: 'code', width: 20 }, { header: '操作人', key: 'actor', width: 14 },
    { header: 'IP 地址', key: 'ip', width: 16 }, { header: '对象类型', key: 'type', width: 10 },
    { header: '对象', key: 'object', width: 30 }, { header: '原因', key: 'reason', width: 24 },
    { header: '变更前', key: 'before', width: 40 }, { header: '变更后', key: 'after', width: 40 },
  ]);
  // Written in the background: the HTTP response streams while batches are read; failures end the stream with an error.
  void (async () => {
    let rows = 0;
    try {
      for await (const events of eventsForExport(ctx, q, EXPORT_BATCH)) {
        for (const e of events) {
          rows++;
          ws.addRow({
            at: SHANGHAI.format(new Date(e.at)), action: cellText(e.actionLabel), code: e.action, actor: cellText(e.actor?.username),
            ip: e.ip ?? '', type: cellText(e.object?.typeLabel), object: cellText(e.object?.label ?? e.object?.id),
            reason: cellText(e.reason), before: e.bodiesHidden ? '（无权查看）' : json(e.before), after: e.bodiesHidden ? '（无权查看）' : json(e.after),
          }).commit();
        }
      }
      await appendAudit(ctx.db, ctx.req, { action: 'audit.export', entityType: 'audit', after: { ...q, rows } });
      await wb.commit();
    } catch (e) {
      ctx.req.log.error({ err: e }, 'audit export failed');
      stream.destroy(e as Error);
    }
  })();
  return { stream, filename: `审计记录-${todayInShanghai()}.xlsx` };
}
