import { Alert, Button, Input, Form, Modal, Typography } from 'antd';
import type { TargetLoadOrg } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { toNumber } from './number-field.ts';
import { putTargetLoad } from './settings-queries.ts';

interface Values { min: number; max: number }

/** 设置目标联户数 for one org; 恢复沿用上级 clears its own value (not offered for the zone, whose value is the default). */
export function TargetLoadModal({ org, onClose }: { org: TargetLoadOrg | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('保存失败');
  const save = (value: Values | null) => run(async () => {
    await putTargetLoad(org!.code, value);
    onClose();
  });
  return (
    <Modal open={org !== null} title={org ? `设置目标联户数：${org.name}` : ''} onCancel={onClose} footer={null} destroyOnHidden>
      {org && (
        <Form<Values> form={form} layout="vertical" disabled={busy} onFinish={(v) => save(v)} initialValues={{ min: org.min, max: org.max }}>
          <Typography.Paragraph type="secondary">
            每名党员联系的住户数在此范围内为“达标”，少于最少为“不足”，多于最多为“超出”。下级组织没有单独设置时沿用这里的值。
          </Typography.Paragraph>
          <Form.Item label="最少（户）" name="min" normalize={toNumber} rules={[{ required: true, message: '请填写最少户数' }]}>
            <Input type="number" inputMode="numeric" min={0} max={200} step={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label="最多（户）"
            name="max"
            normalize={toNumber}
            dependencies={['min']}
            rules={[
              { required: true, message: '请填写最多户数' },
              ({ getFieldValue }) => ({
                validator: (_r, v: number | null) => (v == null || v >= getFieldValue('min') ? Promise.resolve() : Promise.reject(new Error('最多户数不能少于最少户数'))),
              }),
            ]}
          >
            <Input type="number" inputMode="numeric" min={1} max={200} step={1} style={{ width: '100%' }} />
          </Form.Item>
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', flexWrap: 'wrap' }}>
            {org.override && org.level !== 'zone' && <Button onClick={() => save(null)}>恢复沿用上级</Button>}
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>保存</Button>
          </div>
        </Form>
      )}
    </Modal>
  );
}
