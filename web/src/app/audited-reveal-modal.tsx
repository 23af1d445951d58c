import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useSubmit } from './use-submit.ts';

export interface RevealRequest {
  /** Whose value, for the title: 查看 <subject> 的完整<fieldName>. */
  subject: string;
  fieldName: string;
  placeholder: string;
  reveal: (reason: string) => Promise<string | null>;
  /** A phone: once shown, offer 拨打 (a tel: link), which is why a member in the field reveals it. */
  callable?: boolean;
}

/** The reasons officials give most often: one tap fills the reason, which stays editable (free text for the rest). */
export const REVEAL_REASON_PRESETS = ['走访联系', '核实身份', '办理事项'] as const;

/**
 * 查看完整号码: an audited action. Asks for the reason first; the full value lives in this modal's state only (never in
 * the query cache or a list) and is dropped when the modal closes. Residents' ID numbers and phones and businesses'
 * contact phones all go through it.
 */
export function AuditedRevealModal({ request, onClose }: { request: RevealRequest | null; onClose: () => void }) {
  const [value, setValue] = useState<string | null | undefined>(undefined);
  const { busy, error, setError, run } = useSubmit('查看失败，请稍后再试');
  const [form] = Form.useForm<{ reason: string }>();
  const reason = Form.useWatch('reason', form);

  function close() {
    setValue(undefined);
    setError(null);
    form.resetFields();
    onClose();
  }

  const onFinish = ({ reason }: { reason: string }) => run(async () => {
    if (request) setValue(await request.reveal(reason.trim()));
  });

  const fieldName = request?.fieldName ?? '';
  return (
    <Modal
      open={request !== null}
      title={request ? `查看 ${request.subject} 的完整${fieldName}` : ''}
      onCancel={close}
      destroyOnHidden
      footer={null}
    >
      {value === undefined ? (
        <Form form={form} layout="vertical" onFinish={onFinish} disabled={busy}>
          <Alert type="info" showIcon title="此操作将被记录" description="系统会记录查看人、时间和原因，请仅在工作需要时查看。" style={{ marginBottom: 12 }} />
          <div role="group" aria-label="常用原因" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 8 }}>
            {REVEAL_REASON_PRESETS.map((p) => (
              <Button
                key={p}
                aria-pressed={reason === p}
                type={reason === p ? 'primary' : 'default'}
                onClick={() => {
                  form.setFieldsValue({ reason: p });
                  form.validateFields(['reason']).catch(() => undefined); // clears a「请填写查看原因」shown before
                }}
                style={{ minHeight: 44 }}
              >
                {p}
              </Button>
            ))}
          </div>
          <Form.Item
            label="查看原因"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写查看原因' }, { min: 2, message: '原因至少2个字' }, { max: 200, message: '原因最多200个字' }]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder={`选择上面的常用原因，或填写其他原因，${request?.placeholder ?? ''}`} />
          </Form.Item>
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button onClick={close}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>确认查看</Button>
          </div>
        </Form>
      ) : (
        <div>
          <Typography.Paragraph style={{ fontSize: 14 }}>{fieldName}：</Typography.Paragraph>
          <Typography.Paragraph
            data-testid="revealed-value"
            className="lx-copyable"
            copyable={value ? { text: value, tooltips: ['复制', '已复制'] } : false}
            style={{ fontSize: 22, fontWeight: 600, letterSpacing: 1, fontVariantNumeric: 'tabular-nums' }}
          >
            {value ?? '未登记'}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 14 }}>本次查看已记录。关闭后号码将重新隐藏。</Typography.Paragraph>
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            {request?.callable && value && <Button type="primary" href={`tel:${value.replace(/[^\d+]/g, '')}`}>拨打 {value}</Button>}
            <Button type={request?.callable && value ? 'default' : 'primary'} onClick={close}>关闭</Button>
          </div>
        </div>
      )}
    </Modal>
  );
}
