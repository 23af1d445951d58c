import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import type { LoginBody } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { login, PASSWORD_PAGE, safeNext } from '../auth/auth-queries.ts';

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<{ message: string; throttled: boolean } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // Shown once the server says this account has a second factor (401 totp_required); the password stays filled in.
  const [needsCode, setNeedsCode] = useState(false);

  async function onFinish(values: LoginBody) {
    setSubmitting(true);
    setError(null);
    try {
      const me = await login({ username: values.username.trim(), password: values.password, totpCode: values.totpCode?.trim() || undefined });
      // A one-time password is changed before anything else (the router would send the user there anyway).
      navigate(me.mustChangePassword ? PASSWORD_PAGE : safeNext(params.get('next')), { replace: true });
    } catch (e) {
      if (isApiError(e, 'totp_required')) {
        setNeedsCode(true);
        // The first answer only asks for the code: no error until a code was actually wrong.
        if (values.totpCode) setError({ message: e.message, throttled: false });
        return;
      }
      // The server's message is already in Chinese: 用户名或密码错误, or — once an address has failed too often with a
      // name — 登录失败次数过多，请 N 分钟后再试 (the same words whether or not the name exists).
      setError({ message: e instanceof Error ? e.message : '登录失败，请稍后再试', throttled: isApiError(e, 'rate_limited') });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12, boxSizing: 'border-box', background: '#f5f5f5' }}>
      {/* Plain elements instead of Card/Typography: this page is the first download on a phone (bundle budget). */}
      <div style={{ width: '100%', maxWidth: 400, background: '#fff', borderRadius: 8, padding: 24, boxSizing: 'border-box', boxShadow: '0 1px 2px rgba(0,0,0,0.06)' }}>
        <h1 style={{ textAlign: 'center', margin: '0 0 8px', color: '#b0121a', fontSize: 30 }}>连心</h1>
        <p style={{ textAlign: 'center', color: 'rgba(0,0,0,0.55)', fontSize: 15, margin: '0 0 20px' }}>
          济源产城融合示范区 · 党群连心工程
        </p>
        {error && (
          <Alert
            role="alert"
            type={error.throttled ? 'warning' : 'error'}
            showIcon
            title={error.throttled ? '暂时无法登录' : '登录失败'}
            description={error.message}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginBody> layout="vertical" onFinish={onFinish} requiredMark={false} disabled={submitting}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }, { max: 64, message: '用户名太长' }]}>
            <Input autoComplete="username" autoCapitalize="off" autoCorrect="off" spellCheck={false} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }, { max: 256, message: '密码太长' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needsCode && (
            <Form.Item
              label="动态验证码"
              name="totpCode"
              extra="打开手机上的验证器应用，输入显示的 6 位数字；手机不在身边时可输入一个恢复码。"
              rules={[{ required: true, whitespace: true, message: '请输入动态验证码' }, { max: 32, message: '验证码太长' }]}
            >
              <Input autoComplete="one-time-code" autoFocus autoCapitalize="off" autoCorrect="off" spellCheck={false} />
            </Form.Item>
          )}
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              登录
            </Button>
          </Form.Item>
        </Form>
      </div>
    </main>
  );
}
