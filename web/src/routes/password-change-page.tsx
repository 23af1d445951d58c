import { Button } from 'antd';
import { useNavigate, useLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { logout, refreshMe } from '../auth/auth-queries.ts';
import { PasswordForm } from '../features/account/password-form.tsx';

/**
 * 修改密码 before anything else: an account created or reset by someone else signs in with a one-time password, and
 * the server answers nothing else until it is changed. Outside the shell (whose pages would all be refused), like login.
 */
export function PasswordChangePage() {
  const me = useLoaderData() as Me;
  const navigate = useNavigate();

  async function onChanged() {
    await refreshMe();
    navigate('/', { replace: true });
  }

  async function onLogout() {
    await logout(false).catch(() => {});
    navigate('/login', { replace: true });
  }

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12, boxSizing: 'border-box', background: '#f5f5f5' }}>
      <div style={{ width: '100%', maxWidth: 440, background: '#fff', borderRadius: 8, padding: 24, boxSizing: 'border-box', boxShadow: '0 1px 2px rgba(0,0,0,0.06)' }}>
        <h1 style={{ margin: '0 0 8px', fontSize: 24 }}>修改密码</h1>
        <p style={{ color: 'rgba(0,0,0,0.65)', margin: '0 0 20px' }}>
          {me.mustChangePassword
            ? `${me.account.displayName}，您好！您正在使用一次性密码登录，请先设置自己的新密码再继续使用。当前密码就是开通通知单或管理员给您的一次性密码。`
            : `${me.account.displayName}，修改密码后，您在其他设备上的登录将退出。`}
        </p>
        <PasswordForm onChanged={onChanged} />
        <Button type="link" onClick={onLogout} style={{ padding: 0, marginTop: 16 }}>退出登录</Button>
      </div>
    </main>
  );
}
