import { Alert, Button, Form, Input, Modal } from 'antd';
import type { LeaveReason, Person } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { leaveLabels } from './people-labels.ts';
import { leavePerson } from './people-queries.ts';

interface Values { on: string; note?: string }

/** 去世 / 迁出 / 除名, confirmed with a date: the person leaves the roster, their links end, their account is disabled. */
export function PersonLeaveModal({ request, onClose }: { request: { person: Person; reason: LeaveReason } | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit('保存失败');
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const label = request ? leaveLabels[request.reason] : '';

  const close = () => { setError(null); onClose(); };
  const onFinish = (v: Values) => run(async () => {
    if (!request) return;
    await leavePerson(request.person.id, { on: v.on, reason: request.reason, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
    close();
  });

  return (
    <Modal open={request !== null} title={request ? `登记 ${request.person.name} ${label}` : ''} onCancel={close} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} initialValues={{ on: today }}>
        <Form.Item label={`${label}日期`} name="on" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" max={today} />
        </Form.Item>
        <Form.Item label="备注（选填）" name="note" rules={[{ max: 200, message: '最多200个字' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Alert
          type="warning"
          showIcon
          title="登记后此人不再列入名册"
          description="其联户关系将结束，其登录账号将停用并立即退出登录。记录会保留，操作记入审计。"
          style={{ marginBottom: 12 }}
        />
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={close}>取消</Button>
          <Button type="primary" danger htmlType="submit" loading={busy}>确认{label}</Button>
        </div>
      </Form>
    </Modal>
  );
}
