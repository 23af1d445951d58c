import { useState } from 'react';
import { Alert, Button, Popconfirm } from 'antd';
import { isApiError } from '../../api/api-client.ts';
import { printContactCards } from './print-queries.ts';

/**
 * 打印联系卡: reprinting revokes the cards printed before (their QR stops working), so the secretary confirms first.
 * Unlinked households are named in the refusal, since that is what the secretary must fix.
 */
export function ContactCardButton({ orgCode, households, label, fileName, block }: {
  orgCode: string; households?: string[]; label: string; fileName: string; block?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  async function run() {
    setBusy(true);
    setResult(null);
    try {
      await printContactCards(orgCode, households ? { households } : {}, fileName);
      setResult({ ok: true, text: '联系卡已生成（PDF），请用 A4 纸打印后沿虚线裁切' });
    } catch (e) {
      const unlinked = isApiError(e, 'conflict') ? (e.details as { unlinked?: string[] } | undefined)?.unlinked : undefined;
      const msg = e instanceof Error ? e.message : '生成失败，请稍后再试';
      setResult({ ok: false, text: unlinked?.length ? `${msg}：${unlinked.slice(0, 5).join('、')}${unlinked.length > 5 ? ' 等' : ''}` : msg });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <Popconfirm title="打印联系卡" description="重新打印后，此前打印的联系卡二维码将作废。确定生成吗？" okText="确定生成" cancelText="取消" onConfirm={run}>
        <Button loading={busy} block={block}>{label}</Button>
      </Popconfirm>
      {result && (
        <Alert role={result.ok ? 'status' : 'alert'} type={result.ok ? 'success' : 'error'} showIcon title={result.text} style={{ marginTop: 8 }} />
      )}
    </div>
  );
}
