import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Select } from 'antd';
import type { Role } from '@lianxin/contracts';
import { roleLabels } from '../orgs/org-labels.ts';
import { grantableQuery } from './account-queries.ts';

/**
 * The roles of an account (role + the org it is bound to), offering only what the caller may grant (the server
 * checks again and answers 403 with the reason).
 */
export function RoleFields() {
  const grantable = useQuery(grantableQuery());
  const form = Form.useFormInstance();
  // Re-render when a role changes: its org choices depend on it.
  Form.useWatch('roles', form);
  if (grantable.isError) return <Alert type="error" showIcon title="无法加载可授予的角色" description={grantable.error.message} />;
  const roles = grantable.data ?? [];
  return (
    <Form.List name="roles">
      {(fields, { add, remove }) => (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>角色</legend>
          {fields.map((f, i) => {
            const role = form.getFieldValue(['roles', f.name, 'role']) as Role | undefined;
            const orgs = roles.find((r) => r.role === role)?.orgs ?? [];
            return (
              <div key={f.key} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-start' }}>
                <Form.Item name={[f.name, 'role']} rules={[{ required: true, message: '请选择角色' }]} style={{ flex: '1 1 120px', marginBottom: 8 }}>
                  <Select
                    aria-label={`第 ${i + 1} 个角色`}
                    loading={grantable.isPending}
                    options={roles.map((r) => ({ value: r.role, label: roleLabels[r.role] }))}
                    onChange={(v: Role) => {
                      const first = roles.find((r) => r.role === v)?.orgs;
                      form.setFieldValue(['roles', f.name, 'orgCode'], first?.length === 1 ? first[0]!.code : undefined);
                    }}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'orgCode']} rules={[{ required: true, message: '请选择组织' }]} style={{ flex: '2 1 180px', marginBottom: 8 }}>
                  <Select
                    aria-label={`第 ${i + 1} 个角色所在组织`}
                    showSearch
                    optionFilterProp="label"
                    placeholder="选择组织"
                    options={orgs.map((o) => ({ value: o.code, label: o.name }))}
                  />
                </Form.Item>
                {fields.length > 1 && <Button onClick={() => remove(f.name)} aria-label={`删除第 ${i + 1} 个角色`}>删除</Button>}
              </div>
            );
          })}
          {roles.length > 0 && <Button type="dashed" onClick={() => add({ role: roles[0]!.role, orgCode: roles[0]!.orgs.length === 1 ? roles[0]!.orgs[0]!.code : undefined })} style={{ marginBottom: 12 }}>添加角色</Button>}
        </fieldset>
      )}
    </Form.List>
  );
}
