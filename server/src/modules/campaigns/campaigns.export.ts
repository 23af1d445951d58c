import { campaignTargetKindLabels } from '@lianxin/contracts';
import { cellText, EXPORT_BATCH, xlsxStream } from '../../lib/xlsx-export.ts';
import { pendingForExport, type Ctx } from './campaigns.service.ts';

/**
 * 未走访名单 as xlsx (the secretary prints it or hands it round): the same targets as the pending list, streamed in
 * seq batches. Names and addresses only — no phones or ID numbers.
 */
export async function exportPending(ctx: Ctx, id: string, q: { org?: string; person?: string }) {
  const src = await pendingForExport(ctx, id, q, EXPORT_BATCH);
  const { stream, wb, ws } = xlsxStream('未走访名单', [
    { header: '村（社区）', key: 'village', width: 14 }, { header: '类别', key: 'kind', width: 9 },
    { header: '户主/名称/姓名', key: 'name', width: 16 }, { header: '地址', key: 'address', width: 30 },
    { header: '在外地点', key: 'away', width: 14 }, { header: '联户党员', key: 'person', width: 10 },
  ]);
  // Written in the background: the response streams while batches are read; a failure ends the stream with an error.
  void (async () => {
    try {
      for await (const rows of src.rows()) {
        for (const r of rows) {
          ws.addRow({
            village: cellText(r.village.name), kind: campaignTargetKindLabels[r.kind], name: cellText(r.name),
            address: cellText(r.address), away: cellText(r.awayPlace), person: r.person ? cellText(r.person.name) : '未联户',
          }).commit();
        }
      }
      await wb.commit();
    } catch (e) {
      ctx.req.log.error({ err: e }, 'campaign pending export failed');
      stream.destroy(e as Error);
    }
  })();
  return { stream, filename: src.filename };
}
