import { Alert, Button, Form, Input } from 'antd';
import { changePassword } from './account-queries.ts';
import { useSubmit } from '../../app/use-submit.ts';

interface Values { currentPassword: string; newPassword: string; confirm: string }

/**
 * 修改密码: current, new, confirmation. The policy (length, strength against the name) is the server's; its reason is
 * shown as it comes. Used by the forced first-login page and by 我的账户.
 */
export function PasswordForm({ onChanged, currentLabel = '当前密码' }: { onChanged: () => Promise<void> | void; currentLabel?: string }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('修改密码失败，请稍后再试');

  function onFinish(v: Values) {
    return run(async () => {
      await changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      await onChanged();
    });
  }

  return (
    <Form<Values> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} disabled={busy} style={{ maxWidth: 420 }}>
      {error && <Alert role="alert" type="error" showIcon title="未能修改密码" description={error} style={{ marginBottom: 16 }} />}
      <Form.Item label={currentLabel} name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        extra="至少 10 个字符；不要用常见密码、用户名或姓名拼音，可用几个不相关的词加数字。"
        rules={[{ required: true, message: '请输入新密码' }, { min: 10, message: '密码至少 10 个字符' }, { max: 128, message: '密码最多 128 个字符' }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再输入一次新密码' },
          ({ getFieldValue }) => ({
            validator: (_r, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={busy}>修改密码</Button>
      </Form.Item>
    </Form>
  );
}
