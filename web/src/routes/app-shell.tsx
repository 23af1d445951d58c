import { lazy, Suspense, useState } from 'react';
import { Alert, Button, Drawer, Flex, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { logout } from '../auth/auth-queries.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { roleLabels } from '../features/orgs/org-labels.ts';
import { currentNav, visibleNav } from '../app/navigation.ts';

// Only a wide screen shows the header's search, and only a failed page the error page: a phone's first page loads
// neither (antd's Input and Result, ~40 KB gzip).
const SearchBox = lazy(async () => ({ default: (await import('../features/search/search-box.tsx')).SearchBox }));
const ShellErrorPage = lazy(async () => {
  try {
    return { default: (await import('./shell-error-page.tsx')).ShellErrorPage };
  } catch {
    // The error page's own code did not come (the network is what failed): say so plainly.
    return { default: PlainShellError };
  }
});

function PlainShellError() {
  return (
    <div style={{ padding: 24, textAlign: 'center' }}>
      <h1 style={{ fontSize: 24 }}>页面加载失败</h1>
      <p>请检查网络后重新加载。</p>
      <Button type="primary" onClick={() => location.reload()}>重新加载</Button>
    </div>
  );
}

/**
 * The frame of every signed-in page. Desktop (≥ md): the header (brand, search, who is signed in, 我的账户, 退出) over
 * a side menu of the navigation (navigation.ts; ~8 entries as features land) and the page. Phone: the header keeps
 * the brand and a 菜单 button; the drawer holds the same menu and the account's actions. The current page's entry is
 * highlighted in both.
 */
export function AppShell() {
  const me = useRouteLoaderData('shell') as Me;
  const screens = Grid.useBreakpoint();
  const wide = screens.md === true;
  // Between md and lg the header has no room for who is signed in beside the search: it shows on hover of 我的账户.
  const large = screens.lg === true;
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const entries = visibleNav(me);
  const current = currentNav(entries, pathname);

  async function onLogout(everywhere: boolean) {
    setBusy(true);
    try {
      await logout(everywhere);
    } catch {
      // The session may already be gone; logging out locally is still right.
    } finally {
      setBusy(false);
      setDrawerOpen(false);
      navigate('/login', { replace: true });
    }
  }

  const roleText = me.roles.map((r) => `${r.orgName} ${roleLabels[r.role]}`).join('、');
  const logoutButtons = (block: boolean) => (
    <>
      <Button onClick={() => onLogout(false)} loading={busy} block={block}>退出登录</Button>
      <Button onClick={() => onLogout(true)} loading={busy} block={block} danger>退出所有设备</Button>
    </>
  );
  const menu = (
    <nav aria-label="主导航">
      <Menu
        mode="inline"
        selectedKeys={current ? [current] : []}
        style={{ borderInlineEnd: 'none', fontSize: 16 }}
        onClick={() => setDrawerOpen(false)}
        items={entries.map((e) => ({ key: e.to, label: <Link to={e.to} aria-current={e.to === current ? 'page' : undefined}>{e.label}</Link> }))}
      />
    </nav>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 8, color: '#fff', position: 'sticky', top: 0, zIndex: 10, paddingInline: wide ? 24 : 12 }}>
        <Link to="/" className="lx-tap" style={{ color: '#fff', fontSize: 20, fontWeight: 600, whiteSpace: 'nowrap' }}>
          连心
        </Link>
        <div style={{ flex: 1 }} />
        <NotificationBell />
        {wide ? (
          <Space size={8}>
            <Suspense fallback={<div style={{ width: large ? 260 : 180 }} />}>
              <SearchBox placeholder="姓名、拼音首字母、地址、电话尾号" label="搜索住户、企业商户、党员和组织" style={{ width: large ? 260 : 180 }} />
            </Suspense>
            {large && (
              <div style={{ display: 'flex', flexDirection: 'column', lineHeight: '20px', maxWidth: 240, whiteSpace: 'nowrap' }} title={roleText}>
                <strong style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{me.account.displayName}</strong>
                <span style={{ fontSize: 14, opacity: 0.9, overflow: 'hidden', textOverflow: 'ellipsis' }}>{roleText}</span>
              </div>
            )}
            <Link to="/account" className="lx-tap" title={`${me.account.displayName}（${roleText}）`} style={{ color: '#fff', padding: '0 4px', whiteSpace: 'nowrap' }}>我的账户</Link>
            {logoutButtons(false)}
          </Space>
        ) : (
          <Button onClick={() => setDrawerOpen(true)} aria-expanded={drawerOpen}>菜单</Button>
        )}
      </Layout.Header>
      {!wide && (
        <Drawer title="菜单" open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="right" size={300}>
          {menu}
          <Flex vertical gap={12} style={{ marginTop: 16, paddingTop: 16, borderTop: '1px solid #f0f0f0' }}>
            <Typography.Text strong style={{ fontSize: 16 }}>{me.account.displayName}</Typography.Text>
            <Typography.Text type="secondary">用户名：{me.account.username}</Typography.Text>
            {me.roles.map((r) => (
              <Typography.Text key={`${r.role}-${r.orgCode}`}>{r.orgName} · {roleLabels[r.role]}</Typography.Text>
            ))}
            <Link to="/account" className="lx-block-link" onClick={() => setDrawerOpen(false)} style={{ fontSize: 16 }}>我的账户</Link>
            {logoutButtons(true)}
          </Flex>
        </Drawer>
      )}
      <Layout hasSider={wide}>
        {wide && (
          <Layout.Sider width={176} theme="light" style={{ position: 'sticky', top: 64, height: 'calc(100vh - 64px)', overflow: 'auto', borderInlineEnd: '1px solid #f0f0f0' }}>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: wide ? 24 : 12, width: '100%', maxWidth: 1200, margin: '0 auto', boxSizing: 'border-box' }}>
          {me.demo && (
            <Alert type="warning" showIcon title="演示数据" description="当前展示的是演示数据，并非真实人员和组织信息。" style={{ marginBottom: 12 }} />
          )}
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** The shell's error page: its code (antd's Result) loads only when a page fails. */
export function ShellError() {
  return (
    <Suspense fallback={null}>
      <ShellErrorPage />
    </Suspense>
  );
}
