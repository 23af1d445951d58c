import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, message, Spin, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginPolicy } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { roleLabels } from '../features/orgs/org-labels.ts';
import { loginPolicyQuery, saveLoginPolicy } from '../features/account/account-queries.ts';

type PolicyRole = LoginPolicy['requireTotpRoles'][number];
/** The roles that may reveal personal data (contracts totpPolicyRoles; the web imports no values from contracts). */
const policyRoles: PolicyRole[] = ['office', 'town', 'secretary'];

const why: Record<PolicyRole, string> = {
  office: '可查看全区住户的身份证号和电话',
  town: '可查看本镇住户的身份证号和电话',
  secretary: '可查看本村住户的身份证号和电话',
};

/** 登录安全: which roles (those that may reveal personal data) must sign in with a second factor. */
export function LoginSecurityPage() {
  const policy = useQuery(loginPolicyQuery);
  const qc = useQueryClient();
  // The user's edit, or null while it shows what the server holds.
  const [edited, setEdited] = useState<PolicyRole[] | null>(null);
  const [toast, holder] = message.useMessage();
  const { busy, error, run } = useSubmit('保存失败，请稍后再试');

  if (policy.error) return <UnavailableResult error={policy.error} title="无法查看登录安全设置" text="登录安全设置由连心办和系统管理员维护。" />;
  if (!policy.data) return <Spin />;
  const canEdit = policy.data.canEdit;
  const roles = edited ?? policy.data.requireTotpRoles;

  return (
    <>
      {holder}
      <PageTitle>登录安全</PageTitle>
      <Typography.Paragraph>
        勾选的角色登录时，除密码外还必须输入手机验证器应用中的动态验证码。尚未设置的账号下次登录后会先被引导到“我的账户”设置，设置完成前不能使用其他功能。
      </Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title="只有连心办和系统管理员可以修改此设置" style={{ marginBottom: 16 }} />}
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
        <legend style={{ fontWeight: 600, marginBottom: 8, fontSize: 16 }}>必须使用动态验证码的角色</legend>
        <Checkbox.Group value={roles} onChange={(v) => setEdited(v as PolicyRole[])} disabled={!canEdit || busy}>
          <Flex vertical gap={8}>
            {policyRoles.map((r) => (
              <Checkbox key={r} value={r}>
                {roleLabels[r]}<Typography.Text type="secondary">（{why[r]}）</Typography.Text>
              </Checkbox>
            ))}
          </Flex>
        </Checkbox.Group>
      </fieldset>
      {canEdit && (
        <Button
          type="primary"
          loading={busy}
          onClick={() => run(async () => {
            const saved = await saveLoginPolicy({ requireTotpRoles: roles });
            qc.setQueryData(loginPolicyQuery.queryKey, saved);
            setEdited(null);
            toast.success('已保存');
          })}
        >
          保存
        </Button>
      )}
    </>
  );
}
