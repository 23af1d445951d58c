import { Alert, Button, Form, Input, Modal } from 'antd';
import { startDownload } from '../../api/api-client.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { fullExportUrl, type BusinessFilters } from './business-queries.ts';

/**
 * 导出完整号码: the export with full contact phones needs a reason and is audited (server:
 * modules/businesses/businesses.export.ts). The reason and the permission are checked when the download token is
 * requested, so a refusal shows here as a message; the file itself then streams as a normal browser download.
 */
export function BusinessExportModal({ open, org, filters, onClose }: { open: boolean; org: string; filters: BusinessFilters; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, setError, run } = useSubmit('导出失败，请稍后再试');

  function close() {
    setError(null);
    form.resetFields();
    onClose();
  }

  const onFinish = ({ reason }: { reason: string }) => run(async () => {
    startDownload(await fullExportUrl(org, filters, reason.trim()));
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
