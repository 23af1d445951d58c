import { Alert, Button, Form, Input, Modal, Radio } from 'antd';
import type { Resident } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { residentLeave } from './household-queries.ts';

interface Values {
  on: string;
  reason: '迁出' | '死亡' | '其他';
  detail?: string;
}

/** 迁出 / 死亡 (the server keeps reason ≤ 100 characters, so 其他：… leaves 90 for the detail): the resident stops being listed from that date; the record itself stays for history. */
export function LeaveModal({ resident, onClose }: { resident: Resident | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('保存失败');
  const reason = Form.useWatch('reason', form);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

  const onFinish = (v: Values) => run(async () => {
    if (!resident) return;
    const text = v.reason === '其他' && v.detail?.trim() ? `其他：${v.detail.trim()}` : v.reason;
    await residentLeave(resident.id, { on: v.on, reason: text });
    onClose();
  });

  return (
    <Modal open={resident !== null} title={resident ? `${resident.name} 迁出/死亡登记` : ''} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} initialValues={{ on: today, reason: '迁出' }}>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请选择原因' }]}>
          <Radio.Group className="lx-radios" options={[{ value: '迁出', label: '迁出' }, { value: '死亡', label: '死亡' }, { value: '其他', label: '其他' }]} />
        </Form.Item>
        {reason === '其他' && (
          <Form.Item label="具体原因" name="detail" rules={[{ required: true, whitespace: true, message: '请填写具体原因' }, { max: 90, message: '最多90个字' }]}>
            <Input maxLength={90} />
          </Form.Item>
        )}
        <Form.Item label="日期" name="on" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" max={today} />
        </Form.Item>
        <Alert type="warning" showIcon title="登记后此人不再显示在本户成员中" style={{ marginBottom: 12 }} />
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" danger htmlType="submit" loading={busy}>确认登记</Button>
        </div>
      </Form>
    </Modal>
  );
}
