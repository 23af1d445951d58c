import { useState } from 'react';
import { Alert, Button, Descriptions, Flex, Form, Input, List, message, Space, Spin, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TotpSetup } from '@lianxin/contracts';
import { meQuery, refreshMe } from '../auth/auth-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { roleLabels } from '../features/orgs/org-labels.ts';
import { PasswordForm } from '../features/account/password-form.tsx';
import { MyContactGroup } from '../features/notifications/my-contact-group.tsx';
import { disableTotp, enableTotp, myAccountQuery, revokeOtherSessions, sessionsQuery, setupTotp } from '../features/account/account-queries.ts';

const dateTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { dateStyle: 'medium', timeStyle: 'short', hour12: false, timeZone: 'Asia/Shanghai' });

/** 我的账户: who I am, my password, where I am signed in, and the second factor (动态验证码). */
export function MyAccountPage() {
  const me = useQuery(meQuery).data;
  const account = useQuery(myAccountQuery);
  if (!me) return <Spin />;
  return (
    <>
      <PageTitle>我的账户</PageTitle>
      {me.totpSetupRequired && (
        <Alert
          role="alert"
          type="warning"
          showIcon
          title="请先设置动态验证码"
          description="按登录安全要求，您的角色登录时需要动态验证码。设置完成前，其他功能暂不可用。"
          style={{ marginBottom: 16 }}
        />
      )}
      <Descriptions column={1} bordered size="small" styles={{ label: { whiteSpace: 'nowrap' } }} style={{ marginBottom: 24 }}>
        <Descriptions.Item label="用户名">{me.account.username}</Descriptions.Item>
        <Descriptions.Item label="姓名">{me.account.displayName}</Descriptions.Item>
        <Descriptions.Item label="角色">
          <Flex vertical gap={2}>
            {me.roles.map((r) => <span key={`${r.role}-${r.orgCode}`}>{r.orgName} · {roleLabels[r.role]}</span>)}
          </Flex>
        </Descriptions.Item>
        <Descriptions.Item label="上次登录">
          {account.data === undefined ? '…'
            : account.data.previousLogin ? `${dateTime(account.data.previousLogin.at)}　${account.data.previousLogin.ip ?? ''}`
            : '这是第一次登录'}
        </Descriptions.Item>
        <Descriptions.Item label="密码修改时间">
          {account.data?.passwordChangedAt ? dateTime(account.data.passwordChangedAt) : '尚未修改过'}
        </Descriptions.Item>
      </Descriptions>

      {/* Members and secretaries are people of the roster; other accounts have no 一群. */}
      {me.roles.some((r) => r.role === 'member' || r.role === 'secretary') && <MyContactGroup />}

      <section aria-labelledby="password-title" style={{ marginBottom: 24 }}>
        <SectionTitle id="password-title">修改密码</SectionTitle>
        <ChangePasswordSection />
      </section>

      <section aria-labelledby="sessions-title" style={{ marginBottom: 24 }}>
        <SectionTitle id="sessions-title">登录设备</SectionTitle>
        <SessionsSection />
      </section>

      <section aria-labelledby="totp-title">
        <SectionTitle id="totp-title">动态验证码</SectionTitle>
        <TotpSection enabled={account.data?.totp.enabled ?? me.totpEnabled} recoveryCodesLeft={account.data?.totp.recoveryCodesLeft ?? 0} />
      </section>
    </>
  );
}

function ChangePasswordSection() {
  const [toast, holder] = message.useMessage();
  const qc = useQueryClient();
  return (
    <>
      {holder}
      <Typography.Paragraph type="secondary">修改后，您在其他设备上的登录会退出。</Typography.Paragraph>
      <PasswordForm
        onChanged={async () => {
          toast.success('密码已修改');
          await qc.invalidateQueries({ queryKey: ['account'] });
        }}
      />
    </>
  );
}

function SessionsSection() {
  const [toast, holder] = message.useMessage();
  const qc = useQueryClient();
  const sessions = useQuery(sessionsQuery);
  const { busy, error, run } = useSubmit('操作失败，请稍后再试');
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;

  function onRevoke() {
    return run(async () => {
      const { data } = await revokeOtherSessions();
      toast.success(data.revoked ? `已退出其他 ${data.revoked} 个设备` : '没有其他设备在登录');
      await qc.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    });
  }

  if (sessions.error) return <Alert type="error" showIcon title="登录设备加载失败" description={sessions.error.message} />;
  return (
    <>
      {holder}
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <List
        loading={sessions.isPending}
        dataSource={sessions.data ?? []}
        renderItem={(s) => (
          <List.Item>
            <Flex vertical gap={2}>
              <Space wrap>
                <strong>{s.device}</strong>
                {s.current && <Tag color="green">当前设备</Tag>}
              </Space>
              <Typography.Text type="secondary">
                地址 {s.ip ?? '未知'}　登录于 {dateTime(s.startedAt)}　最近活动 {dateTime(s.lastSeenAt)}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      <Button onClick={onRevoke} loading={busy} disabled={others === 0} danger style={{ marginTop: 12 }}>退出其他设备</Button>
    </>
  );
}

function TotpSection(props: { enabled: boolean; recoveryCodesLeft: number }) {
  // The toast outlives the branch that raised it (停用 switches to the set-up branch).
  const [toast, holder] = message.useMessage();
  return <>{holder}<TotpBody {...props} toast={toast} /></>;
}

function TotpBody({ enabled, recoveryCodesLeft, toast }: { enabled: boolean; recoveryCodesLeft: number; toast: ReturnType<typeof message.useMessage>[0] }) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const qc = useQueryClient();
  const { busy, error, run } = useSubmit('操作失败，请稍后再试');

  async function afterChange() {
    await refreshMe();
    await qc.invalidateQueries({ queryKey: myAccountQuery.queryKey });
  }

  if (codes) {
    return (
      <Alert
        type="success"
        showIcon
        title="动态验证码已启用。请抄下或打印下面的恢复码，妥善保管"
        description={
          <>
            <p>手机丢失或换机时，可用一个恢复码代替动态验证码登录；每个恢复码只能用一次。恢复码只显示这一次。</p>
            <ol aria-label="恢复码" style={{ fontFamily: 'monospace', fontSize: 16, columns: 2 }}>
              {codes.map((c) => <li key={c}>{c}</li>)}
            </ol>
            <Button onClick={() => setCodes(null)}>我已保存恢复码</Button>
          </>
        }
      />
    );
  }

  if (enabled) {
    return (
      <>
        <Typography.Paragraph>
          <Tag color="green">已启用</Tag> 登录时除密码外还需输入验证器应用中的 6 位动态验证码。剩余恢复码 {recoveryCodesLeft} 个。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">如需停用，请输入密码和当前的动态验证码（或一个恢复码）。</Typography.Paragraph>
        <Form<{ password: string; code: string }>
          layout="vertical"
          requiredMark={false}
          disabled={busy}
          style={{ maxWidth: 420 }}
          onFinish={(v) => run(async () => { await disableTotp(v); toast.success('动态验证码已停用'); await afterChange(); })}
        >
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label="动态验证码或恢复码" name="code" rules={[{ required: true, message: '请输入动态验证码或恢复码' }]}>
            <Input autoComplete="one-time-code" />
          </Form.Item>
          <Button htmlType="submit" danger loading={busy}>停用动态验证码</Button>
        </Form>
      </>
    );
  }

  if (!setup) {
    return (
      <>
        <Typography.Paragraph>
          启用后，登录时除密码外还需输入手机验证器应用（如 腾讯身份验证器、Microsoft Authenticator、Google Authenticator）显示的 6 位动态验证码，密码被他人知道也无法登录。
        </Typography.Paragraph>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" loading={busy} onClick={() => run(async () => setSetup(await setupTotp()))}>设置动态验证码</Button>
      </>
    );
  }

  return (
    <Flex vertical gap={12} style={{ maxWidth: 420 }}>
      <Typography.Text>1. 用验证器应用扫描二维码：</Typography.Text>
      <img src={setup.qr} alt="动态验证码设置二维码" width={200} height={200} />
      <Typography.Text type="secondary">
        无法扫描时，在应用中手动输入密钥：<Typography.Text code copyable>{setup.secret}</Typography.Text>
      </Typography.Text>
      <Form<{ code: string }>
        layout="vertical"
        requiredMark={false}
        disabled={busy}
        onFinish={(v) => run(async () => { setCodes(await enableTotp(v.code.trim())); await afterChange(); })}
      >
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form.Item label="2. 输入应用显示的 6 位动态验证码" name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字' }]}>
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>启用</Button>
      </Form>
    </Flex>
  );
}
