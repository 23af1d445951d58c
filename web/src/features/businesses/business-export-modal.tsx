import { Alert, Button, Form, Input, Modal } from 'antd';
import { saveFile } from '../../api/api-client.ts';
import { useSubmit } from '../../app/use-submit.ts';

/**
 * 导出完整号码: the export with full contact phones needs a reason and is audited (server:
 * modules/businesses/businesses.export.ts). Fetched here rather than linked, so a refusal shows as a message instead
 * of a downloaded error body.
 */
export function BusinessExportModal({ open, url, onClose }: { open: boolean; url: string; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, setError, run } = useSubmit('导出失败，请稍后再试');

  function close() {
    setError(null);
    form.resetFields();
    onClose();
  }

  const onFinish = ({ reason }: { reason: string }) => run(async () => {
    const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams({ full: 'true', reason: reason.trim() })}`, { credentials: 'same-origin' });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(body?.error?.message ?? (res.status === 403 ? '没有导出完整号码的权限' : '导出失败，请稍后再试'));
    }
    const blob = await res.blob();
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    saveFile(blob, name ? decodeURIComponent(name) : '企业商户名单.xlsx');
    close();
  });

  return (
    <Modal open={open} title="导出完整联系电话" onCancel={close} destroyOnHidden footer={null}>
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={busy}>
        <Alert type="info" showIcon title="此操作将被记录" description="导出的表格含完整联系电话。系统会记录导出人、时间和原因，请妥善保管文件。" style={{ marginBottom: 12 }} />
        <Form.Item
          label="导出原因"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写导出原因' }, { min: 2, message: '原因至少2个字' }, { max: 200, message: '原因最多200个字' }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：安全生产大检查联络名单" />
        </Form.Item>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={close}>取消</Button>
          <Button type="primary" htmlType="submit" loading={busy}>导出</Button>
        </div>
      </Form>
    </Modal>
  );
}
