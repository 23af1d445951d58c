import { Alert, Button, Form, Input, Modal, Radio } from 'antd';
import type { Household } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { removeHousehold } from './household-queries.ts';

interface Values {
  on: string;
  reason: '全户迁出' | '户销（家庭成员均已去世）' | '重复登记' | '其他';
  detail?: string;
}

/**
 * 注销住户: the whole household leaves the register. Its members are recorded as left on that date with the reason (so
 * they can be registered where they moved to), its 联户关系 end and its 联系卡 is voided; the record stays for history.
 */
export function RemoveHouseholdModal({ household, open, onClose, onRemoved }: {
  household: Household; open: boolean; onClose: () => void; onRemoved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('注销失败');
  const reason = Form.useWatch('reason', form);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

  const onFinish = (v: Values) => run(async () => {
    const detail = v.detail?.trim();
    await removeHousehold(household.id, { on: v.on, reason: detail ? `${v.reason}：${detail}` : v.reason });
    onRemoved();
  });

  return (
    <Modal open={open} title={`注销 ${household.headName}户`} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} initialValues={{ on: today, reason: '全户迁出' }}>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请选择原因' }]}>
          <Radio.Group
            className="lx-radios"
            options={['全户迁出', '户销（家庭成员均已去世）', '重复登记', '其他'].map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item
          label={reason === '其他' ? '具体原因' : '说明（可不填，如迁往何处）'}
          name="detail"
          rules={[{ required: reason === '其他', whitespace: true, message: '请填写具体原因' }, { max: 60, message: '最多60个字' }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label="日期" name="on" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" max={today} />
        </Form.Item>
        <Alert
          type="warning"
          showIcon
          title="注销后本户不再显示在户籍和联户覆盖中"
          description={`本户 ${household.residents.length} 名成员记为迁出，联户关系结束，联系卡作废；记录保留备查。`}
          style={{ marginBottom: 12 }}
        />
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" danger htmlType="submit" loading={busy}>确认注销</Button>
        </div>
      </Form>
    </Modal>
  );
}
