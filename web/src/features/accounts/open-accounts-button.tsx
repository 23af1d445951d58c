import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Spin } from 'antd';
import type { SlipBatch } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { openAccounts } from './account-queries.ts';

/**
 * 为本支部（本镇）党员开通账号: opens member accounts for everyone under `orgCode` who has none and downloads the
 * 开通通知单 at once (the server hands it out once: the one-time passwords are printed from this download only).
 * Reusable: the accounts page and the roster embed it with their own label.
 */
export function OpenAccountsButton({ orgCode, label, onDone }: { orgCode: string; label: string; onDone?: (b: SlipBatch) => void }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<SlipBatch | null>(null);
  const { busy, error, run, setError } = useSubmit('开通失败');
  const client = useQueryClient();
  const close = () => { setOpen(false); setResult(null); setError(null); };
  const start = () => run(async () => {
    const batch = await openAccounts(orgCode);
    setResult(batch);
    await client.invalidateQueries({ queryKey: ['accounts'] });
    onDone?.(batch);
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>{label}</Button>
      <Modal open={open} title={label} onCancel={busy ? undefined : close} closable={!busy} maskClosable={false} footer={null} destroyOnHidden>
        {!result && (
          <>
            <p>将为范围内还没有账号的党员逐一开通账号（角色：党员），用户名优先用本人手机号，并生成一次性密码和《连心账号开通通知单》。</p>
            <Alert type="warning" showIcon title="通知单只能下载一次，请立即打印" description="通知单上有每人的一次性密码，系统不保存明文；丢失后只能重置密码重新打印。" style={{ marginBottom: 12 }} />
            {busy && <p role="status" style={{ display: 'flex', alignItems: 'center', gap: 8 }}><Spin size="small" />正在开通账号并生成通知单，人数多时需要一两分钟…</p>}
            {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
              <Button onClick={close} disabled={busy}>取消</Button>
              <Button type="primary" onClick={start} loading={busy}>开通并下载通知单</Button>
            </div>
          </>
        )}
        {result && (
          <>
            <Alert
              role="status"
              type={result.created ? 'success' : 'info'}
              showIcon
              title={result.created ? `已开通 ${result.created} 个账号` : '范围内的党员都已有账号，无需开通'}
              description={result.created ? '通知单已开始下载（PDF）。通知单只能下载一次，请立即打印，沿虚线裁开后发给本人。' : undefined}
              style={{ marginBottom: 12 }}
            />
            <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
              <Button type="primary" onClick={close}>完成</Button>
            </div>
          </>
        )}
      </Modal>
    </>
  );
}
