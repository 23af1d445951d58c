import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Radio, Select } from 'antd';
import type { AccountRoleInput, AccountWithPassword } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { accountPeopleQuery, createAccount, grantableQuery } from './account-queries.ts';
import { RoleFields } from './role-fields.tsx';

interface Values { kind?: 'person' | 'staff'; personId?: string; displayName?: string; username: string; roles: AccountRoleInput[] }

/** 开通账号: for a member or helper from the roster (their mobile suggested as username), or for staff. */
export function AccountCreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (r: AccountWithPassword) => void }) {
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const kind = Form.useWatch('kind', form) ?? 'person';
  const people = useQuery({ ...accountPeopleQuery(q), enabled: open && kind === 'person' });
  const grantable = useQuery({ ...grantableQuery(), enabled: open });
  const { busy, error, run } = useSubmit('开通失败');
  const client = useQueryClient();
  const member = grantable.data?.find((r) => r.role === 'member');
  const staffAllowed = grantable.data?.some((r) => r.role !== 'member') ?? false;

  const onFinish = (v: Values) => run(async () => {
    // Without the choice (a secretary may open accounts only for people) the account is a person's.
    const staff = v.kind === 'staff';
    const r = await createAccount({
      username: v.username.trim(),
      personId: staff ? undefined : v.personId,
      displayName: staff ? v.displayName?.trim() : undefined,
      roles: v.roles,
    });
    await client.invalidateQueries({ queryKey: ['accounts'] });
    form.resetFields();
    onCreated(r);
  });

  return (
    <Modal open={open} title="开通账号" onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} preserve={false}
        initialValues={{ kind: 'person', roles: [{ role: 'member', orgCode: member?.orgs.length === 1 ? member.orgs[0]!.code : undefined }] }}>
        {staffAllowed && (
          <Form.Item label="账号属于" name="kind">
            <Radio.Group className="lx-radios" options={[{ value: 'person', label: '名册中的党员或志愿者' }, { value: 'staff', label: '工作人员' }]} />
          </Form.Item>
        )}
        {kind === 'person' ? (
          <Form.Item label="人员" name="personId" rules={[{ required: true, message: '请选择人员' }]} extra="输入姓名、拼音首字母或手机号后四位搜索">
            <Select
              showSearch
              filterOption={false}
              onSearch={(v) => setQ(v.trim())}
              loading={people.isFetching}
              placeholder="搜索本范围内的人员"
              notFoundContent={people.isError ? '加载失败' : '没有找到'}
              options={(people.data ?? []).map((p) => ({
                value: p.id, disabled: p.hasAccount,
                label: `${p.name}（${p.orgName}${p.kind === 'helper' ? '，志愿者' : ''}）${p.hasAccount ? ' 已有账号' : ''}`,
              }))}
              onChange={(id: string) => {
                const p = people.data?.find((x) => x.id === id);
                if (p && !form.getFieldValue('username')) form.setFieldValue('username', p.suggestedUsername);
                if (p) form.setFieldValue('roles', [{ role: 'member', orgCode: p.orgCode }]);
              }}
            />
          </Form.Item>
        ) : (
          <Form.Item label="显示名称" name="displayName" rules={[{ required: true, whitespace: true, message: '请填写显示名称，如「克井镇党委 刘书记」' }]}>
            <Input maxLength={40} />
          </Form.Item>
        )}
        <Form.Item label="用户名" name="username" extra="字母、数字和 . _ -；党员一般用本人手机号"
          rules={[{ required: true, whitespace: true, message: '请填写用户名' }, { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: '3–64 位字母、数字和 . _ -' }]}>
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <RoleFields />
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={busy}>开通</Button>
        </div>
      </Form>
    </Modal>
  );
}
