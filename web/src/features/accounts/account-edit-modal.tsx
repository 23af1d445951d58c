import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal } from 'antd';
import type { AccountRoleInput, ManagedAccount } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { updateAccount } from './account-queries.ts';
import { RoleFields } from './role-fields.tsx';

interface Values { displayName: string; roles: AccountRoleInput[] }

/** 修改: display name and roles (only what the caller may grant is offered). */
export function AccountEditModal({ account, onClose }: { account: ManagedAccount | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('保存失败');
  const client = useQueryClient();
  const onFinish = (v: Values) => run(async () => {
    if (!account) return;
    await updateAccount(account.id, { displayName: v.displayName.trim(), roles: v.roles });
    await client.invalidateQueries({ queryKey: ['accounts'] });
    onClose();
  });
  return (
    <Modal open={account !== null} title={account ? `修改账号 ${account.username}` : ''} onCancel={onClose} footer={null} destroyOnHidden>
      {account && (
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} preserve={false}
          initialValues={{ displayName: account.displayName, roles: account.roles.map((r) => ({ role: r.role, orgCode: r.orgCode })) }}>
          <Form.Item label="显示名称" name="displayName" rules={[{ required: true, whitespace: true, message: '请填写显示名称' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <RoleFields />
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>保存</Button>
          </div>
        </Form>
      )}
    </Modal>
  );
}
