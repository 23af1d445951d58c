import { useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Dropdown, Empty, Input, List, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useRouteLoaderData } from 'react-router';
import type { AccountStatusFilter, ManagedAccount, Me, Role } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useFilterParams } from '../app/use-filter-params.ts';
import { useSubmit } from '../app/use-submit.ts';
import { AccountCreateModal } from '../features/accounts/account-create-modal.tsx';
import { AccountEditModal } from '../features/accounts/account-edit-modal.tsx';
import { statusLabels, statusTags } from '../features/accounts/account-labels.ts';
import { accountAction, accountListQuery, resetAndPrint, resetPassword, type AccountAction, type AccountFilters } from '../features/accounts/account-queries.ts';
import { OneTimePasswordModal } from '../features/accounts/one-time-password-modal.tsx';
import { OpenAccountsButton } from '../features/accounts/open-accounts-button.tsx';
import { roleLabels } from '../features/orgs/org-labels.ts';

type Action = AccountAction | 'reset-password';
const ACTIONS: Record<Action, { label: string; confirm: string; danger?: boolean }> = {
  disable: { label: '停用', confirm: '停用后此账号不能登录，已登录的设备会立即退出。', danger: true },
  enable: { label: '启用', confirm: '启用后此账号可以重新登录。' },
  unlock: { label: '解锁', confirm: '清除此账号的登录失败记录，让本人可以马上重新登录。' },
  'reset-password': { label: '重置密码', confirm: '将生成新的一次性密码（只显示一次），原密码作废，已登录的设备会立即退出。', danger: true },
  'end-sessions': { label: '结束全部会话', confirm: '此账号在所有设备上立即退出登录，需重新登录。' },
};
const ROLES = Object.keys(roleLabels) as Role[];
const STATUSES = Object.keys(statusLabels) as AccountStatusFilter[];

/** /accounts — 账号管理: the accounts the caller may manage (the server decides), their roles and lifecycle. */
export function AccountsPage() {
  const me = useRouteLoaderData('shell') as Me;
  const [params, setFilter] = useFilterParams<keyof AccountFilters>();
  const role = params.get('role');
  const status = params.get('status');
  const filters: AccountFilters = {
    org: params.get('org') || undefined,
    role: role && (ROLES as string[]).includes(role) ? (role as Role) : undefined,
    status: status && (STATUSES as string[]).includes(status) ? (status as AccountStatusFilter) : undefined,
    q: params.get('q')?.trim() || undefined,
  };
  const allowed = me.abilities.includes('accounts.manage');
  const list = useInfiniteQuery({ ...accountListQuery(filters), enabled: allowed });
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ManagedAccount | null>(null);
  const [pending, setPending] = useState<{ account: ManagedAccount; action: Action } | null>(null);
  const [password, setPassword] = useState<{ username: string; password: string } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const act = useSubmit('操作失败');
  const reprint = useSubmit('重置失败');
  const [reprinted, setReprinted] = useState<number | null>(null);

  if (!allowed) return <UnavailableResult error={null} title="无权访问" text="账号管理只对管理员、连心办、镇街和村（社区）书记开放。" />;

  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(filters.q || filters.role || filters.status || filters.org);
  // The bulk button for the caller's own branch or town (scope roots from /me; the zone would be every member at once).
  const bulkRoots = me.scopeRoots.filter((r) => r.level === 'village' || r.level === 'unit' || r.level === 'town');

  const confirm = () => act.run(async () => {
    if (!pending) return;
    const { account, action } = pending;
    if (action === 'reset-password') {
      const r = await resetPassword(account.id);
      setPassword({ username: r.account.username, password: r.oneTimePassword });
    } else {
      await accountAction(account.id, action);
    }
    setPending(null);
    await client.invalidateQueries({ queryKey: ['accounts'] });
  });
  const toggle = (id: string, on: boolean) => setSelected((s) => {
    const next = new Set(s);
    if (on) next.add(id); else next.delete(id);
    return next;
  });
  const printSelected = () => reprint.run(async () => {
    const batch = await resetAndPrint([...selected]);
    setReprinted(batch.created);
    setSelected(new Set());
    await client.invalidateQueries({ queryKey: ['accounts'] });
  });

  return (
    <article aria-labelledby="accounts-title">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 12 }}>
        <PageTitle id="accounts-title" style={{ margin: 0 }}>账号管理</PageTitle>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {bulkRoots.map((r) => (
            <OpenAccountsButton key={r.code} orgCode={r.code} label={r.level === 'town' ? `为本镇党员开通账号${bulkRoots.length > 1 ? `（${r.name}）` : ''}` : `为本支部党员开通账号${bulkRoots.length > 1 ? `（${r.name}）` : ''}`} />
          ))}
          <Button type="primary" onClick={() => setCreating(true)}>开通账号</Button>
        </div>
      </div>
      <div role="search" aria-label="筛选账号" style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
        <Input.Search
          key={filters.q ?? ''}
          defaultValue={filters.q}
          placeholder="用户名、显示名称或姓名"
          aria-label="搜索账号"
          enterButton="搜索"
          allowClear
          maxLength={40}
          onSearch={(v) => setFilter('q', v.trim() || undefined)}
        />
        <div style={{ display: 'flex', gap: 8 }}>
          <Select aria-label="按角色筛选" style={{ flex: 1, minWidth: 0 }} value={filters.role ?? ''} onChange={(v: string) => setFilter('role', v || undefined)}
            options={[{ value: '', label: '全部角色' }, ...ROLES.map((r) => ({ value: r, label: roleLabels[r] }))]} />
          <Select aria-label="按状态筛选" style={{ flex: 1, minWidth: 0 }} value={filters.status ?? ''} onChange={(v: string) => setFilter('status', v || undefined)}
            options={[{ value: '', label: '全部状态' }, ...STATUSES.map((s) => ({ value: s, label: statusLabels[s] }))]} />
        </div>
      </div>
      {selected.size > 0 && (
        <Alert
          type="info"
          showIcon
          title={`已选 ${selected.size} 个账号`}
          description="重置并打印：为所选账号生成新的一次性密码并下载通知单。通知单只能下载一次，请立即打印。"
          action={<div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            <Popconfirm title="重置并打印" description="所选账号的原密码立即作废，已登录的设备会退出。确定吗？" okText="确定重置" cancelText="取消" onConfirm={printSelected}>
              <Button type="primary" size="small" loading={reprint.busy}>重置并打印</Button>
            </Popconfirm>
            <Button size="small" onClick={() => setSelected(new Set())}>取消选择</Button>
          </div>}
          style={{ marginBottom: 12 }}
        />
      )}
      {reprint.error && <Alert role="alert" type="error" showIcon title={reprint.error} style={{ marginBottom: 12 }} />}
      {reprinted !== null && (
        <Alert role="status" type="success" showIcon closable onClose={() => setReprinted(null)} title={`已重置 ${reprinted} 个账号的密码，通知单已开始下载。通知单只能下载一次，请立即打印。`} style={{ marginBottom: 12 }} />
      )}
      <Typography.Paragraph type="secondary" aria-live="polite" style={{ fontSize: 14 }} data-testid="account-count">
        {list.isPending ? '正在加载…' : `${filtered ? '找到' : '已显示'} ${rows.length}${list.hasNextPage ? '+' : ''} 个账号`}
      </Typography.Paragraph>
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <section aria-label="账号列表">
          <List
            bordered
            style={{ background: '#fff' }}
            loading={list.isPending}
            locale={{ emptyText: <Empty description={filtered ? '没有符合条件的账号' : '还没有可管理的账号'} /> }}
            dataSource={rows}
            renderItem={(a) => (
              <List.Item key={a.id} style={{ padding: '8px 12px', alignItems: 'flex-start', gap: 8 }} data-testid="account-row">
                <Checkbox checked={selected.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} aria-label={`选择 ${a.username}`} style={{ marginTop: 4 }} />
                <div style={{ flex: 1, minWidth: 0 }}>
                  <span style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
                    <strong style={{ fontSize: 17, overflowWrap: 'anywhere' }}>{a.displayName}</strong>
                    <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>{a.username}</Typography.Text>
                    {statusTags(a).map((t) => <Tag key={t.label} color={t.color} style={{ fontSize: 14, marginInlineEnd: 0 }}>{t.label}</Tag>)}
                  </span>
                  <span style={{ display: 'block', color: 'rgba(0,0,0,0.65)', fontSize: 15, marginTop: 2 }}>
                    {a.roles.map((r) => `${r.orgName} ${roleLabels[r.role]}`).join('、') || '无角色'}
                    {a.person ? '' : ' · 工作人员'}
                    {a.lastLoginAt && <Typography.Text type="secondary"> · 最近登录 {new Date(a.lastLoginAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</Typography.Text>}
                  </span>
                </div>
                <div style={{ display: 'flex', gap: 4, flexShrink: 0 }}>
                  <Button size="small" onClick={() => setEditing(a)} aria-label={`修改 ${a.username}`}>修改</Button>
                  <Dropdown
                    trigger={['click']}
                    menu={{
                      items: (['disable', 'enable', 'unlock', 'reset-password', 'end-sessions'] as Action[])
                        .filter((x) => (x === 'disable' ? !a.disabled : x === 'enable' ? a.disabled : true))
                        .map((x) => ({ key: x, label: ACTIONS[x].label, danger: ACTIONS[x].danger })),
                      onClick: ({ key }) => { act.setError(null); setPending({ account: a, action: key as Action }); },
                    }}
                  >
                    <Button size="small" aria-label={`${a.username} 的更多操作`}>更多</Button>
                  </Dropdown>
                </div>
              </List.Item>
            )}
            loadMore={list.hasNextPage ? (
              <div style={{ textAlign: 'center', padding: 12 }}>
                <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>加载更多</Button>
              </div>
            ) : null}
          />
        </section>
      )}
      <Modal
        open={pending !== null}
        title={pending ? `${ACTIONS[pending.action].label}：${pending.account.displayName}（${pending.account.username}）` : ''}
        onCancel={() => setPending(null)}
        footer={<div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={() => setPending(null)} disabled={act.busy}>取消</Button>
          <Button type="primary" danger={pending ? ACTIONS[pending.action].danger : false} loading={act.busy} onClick={confirm}>
            确定{pending ? ACTIONS[pending.action].label : ''}
          </Button>
        </div>}
        destroyOnHidden
      >
        {pending && <p>{ACTIONS[pending.action].confirm}</p>}
        {act.error && <Alert role="alert" type="error" showIcon title={act.error} />}
      </Modal>
      <AccountCreateModal open={creating} onClose={() => setCreating(false)} onCreated={(r) => { setCreating(false); setPassword({ username: r.account.username, password: r.oneTimePassword }); }} />
      <AccountEditModal account={editing} onClose={() => setEditing(null)} />
      <OneTimePasswordModal value={password} onClose={() => setPassword(null)} />
    </article>
  );
}
