import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Dropdown, Empty, Grid, Input, List, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate, useRouteLoaderData } from 'react-router';
import type { AccountStatus, HelperKind, LeaveReason, Me, Person, PersonSort } from '@lianxin/contracts';
import { AuditedRevealModal } from '../app/audited-reveal-modal.tsx';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useFilterParams } from '../app/use-filter-params.ts';
import { loadStatusColors, loadStatusLabels } from '../features/coverage/coverage-labels.ts';
import { OpenAccountsButton } from '../features/accounts/open-accounts-button.tsx';
import { AssignGridButton } from '../features/grids/assign-grid-button.tsx';
import { fetchAllChildren, orgQuery } from '../features/orgs/org-queries.ts';
import { PersonDrawer } from '../features/people/person-drawer.tsx';
import { PersonLeaveModal } from '../features/people/person-leave-modal.tsx';
import { PersonTransferModal } from '../features/people/person-transfer-modal.tsx';
import { accountColors, accountLabels, helperKindOptions, leaveLabels, sexLabels, sortLabels } from '../features/people/people-labels.ts';
import { peopleExportUrl, peopleQuery, revealPersonPhone, type PeopleFilters } from '../features/people/people-queries.ts';

type FilterKey = 'org' | 'kind' | 'helperKind' | 'q' | 'flag' | 'grid' | 'account' | 'load' | 'left' | 'sort' | 'dir';
const pick = <T extends string>(v: string | null, allowed: readonly T[]): T | undefined => (allowed.includes(v as T) ? (v as T) : undefined);
const ACCOUNTS = ['none', 'active', 'never_logged_in', 'disabled'] as const;
const SORTS = ['name', 'age', 'memberSince', 'load'] as const;
/** Tags at body size: 14 px is the smallest text on a phone (issue 2). */
const TAG = { fontSize: 14, marginInlineEnd: 0 } as const;

/**
 * /roster?org=<code> — 党员名册: the members (tab 党员) or helpers (tab 志愿者等) of a branch, a town or the zone, by
 * default the caller's scope root. A table on desktop, cards on a phone; search, filters and sort in the URL.
 */
export function RosterPage() {
  const me = useRouteLoaderData('shell') as Me;
  const navigate = useNavigate();
  const [params, setFilter] = useFilterParams<FilterKey>();
  const root = me.scopeRoots[0]!;
  const code = params.get('org') || root.code;
  const flag = params.get('flag');
  const filters: PeopleFilters = {
    kind: params.get('kind') === 'helper' ? 'helper' : 'member',
    helperKind: pick(params.get('helperKind'), ['志愿者', '积极分子', '非党干部'] as HelperKind[]),
    q: params.get('q')?.trim() || undefined,
    mobile: flag === 'mobile' ? 'true' : undefined,
    dual: flag === 'dual' ? 'true' : undefined,
    grid: params.get('grid') || undefined,
    account: pick(params.get('account'), ACCOUNTS),
    load: pick(params.get('load'), ['under', 'within', 'over'] as const),
    left: params.get('left') === 'true' ? 'true' : undefined,
    sort: pick(params.get('sort'), SORTS),
    dir: params.get('dir') === 'desc' ? 'desc' : undefined,
  };
  const wide = Grid.useBreakpoint().md === true;
  const org = useQuery(orgQuery(code));
  const isVillage = org.data?.level === 'village';
  const grids = useQuery({
    queryKey: ['org-all-children', code],
    queryFn: () => fetchAllChildren(code),
    enabled: isVillage,
    staleTime: 60_000,
    select: (rows) => rows.filter((r) => r.level === 'grid'),
  });
  const list = useInfiniteQuery({ ...peopleQuery(code, filters), enabled: org.isSuccess && me.abilities.includes('roster.read') });
  const [editing, setEditing] = useState<{ person: Person | null } | null>(null);
  const [leaving, setLeaving] = useState<{ person: Person; reason: LeaveReason } | null>(null);
  const [transferring, setTransferring] = useState<Person | null>(null);
  const [revealing, setRevealing] = useState<Person | null>(null);
  const [selected, setSelected] = useState<string[]>([]);

  if (!me.abilities.includes('roster.read')) {
    return <UnavailableResult error={null} title="无权查看" text="党员名册仅供连心办、镇（街道）、村（社区）党组织书记和领导查看。" />;
  }
  if (org.isPending) return <Skeleton active />;
  if (org.isError) return <UnavailableResult error={org.error} title="未找到或无权查看" text="该组织不存在，或不在您的查看范围内。" />;

  const o = org.data;
  const canWrite = me.abilities.includes('roster.write') && o.abilities.writeRegistry;
  // 转出 needs another branch in the caller's scope: a town's or the zone's, never a single village's.
  const canTransfer = canWrite && root.level !== 'village';
  const canProxy = me.abilities.includes('visits.proxy') && isVillage && filters.kind === 'member';
  const member = filters.kind === 'member';
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(filters.q || flag || filters.grid || filters.account || filters.load || filters.helperKind);
  const showVillage = !isVillage;
  const noun = member ? '党员' : '志愿者等';

  const actions = (p: Person) => {
    if (!p.abilities.update) return null;
    const items = [
      // 代录: the secretary records a member's visits from their paper notebook (their 今天, on their behalf).
      ...(canProxy ? [{ key: 'proxy', label: '代录走访' }] : []),
      ...(canTransfer ? [{ key: 'transfer', label: '转出到其他支部' }] : []),
      { key: 'transferred_out', label: '迁出' }, { key: 'died', label: '去世' }, { key: 'removed', label: '除名', danger: true },
    ];
    return (
      <span style={{ display: 'inline-flex', gap: 4 }}>
        <Button size={wide ? 'small' : 'middle'} onClick={() => setEditing({ person: p })} aria-label={`编辑 ${p.name}`}>编辑</Button>
        <Dropdown
          trigger={['click']}
          menu={{
            items,
            onClick: ({ key }) => (key === 'proxy' ? navigate(`/today?${new URLSearchParams({ person: p.id })}`)
              : key === 'transfer' ? setTransferring(p) : setLeaving({ person: p, reason: key as LeaveReason })),
          }}
        >
          <Button size={wide ? 'small' : 'middle'} aria-label={`${p.name} 的更多操作`}>更多</Button>
        </Dropdown>
      </span>
    );
  };
  const phone = (p: Person) => (
    <span style={{ whiteSpace: 'nowrap' }}>
      {p.phoneMasked ?? <Typography.Text type="secondary">未登记</Typography.Text>}
      {p.phoneMasked && p.abilities.reveal && (
        <Button type="link" size={wide ? 'small' : 'middle'} onClick={() => setRevealing(p)} aria-label={`查看 ${p.name} 的完整手机号码`}>查看</Button>
      )}
    </span>
  );
  const flags = (p: Person) => (
    <>
      {p.mobile && <Tag color="purple" style={TAG}>流动党员</Tag>}
      {p.dualRegistered && <Tag color="cyan" style={TAG}>双报到</Tag>}
      {!member && p.helperKind && <Tag color="geekblue" style={TAG}>{p.helperKind}</Tag>}
    </>
  );
  const status = (p: Person) => (p.leftReason
    ? <Tag style={TAG}>{p.leftOn} {leaveLabels[p.leftReason]}</Tag>
    : <Tag color={accountColors[p.accountStatus]} style={TAG}>账号{accountLabels[p.accountStatus]}</Tag>);
  // 工作手册 for whoever keeps the branch's roster (the server's rule: secretary, town, office in scope).
  const handbook = (p: Person) => (p.abilities.update
    ? <Link to={`/people/${p.id}/handbook`} aria-label={`${p.name}的工作手册`} style={{ marginInlineStart: 8, whiteSpace: 'nowrap', display: 'inline-flex', alignItems: 'center', minHeight: 44 }}>工作手册</Link>
    : null);
  const load = (p: Person) => <Tag color={loadStatusColors[p.loadStatus]} title={loadStatusLabels[p.loadStatus]} style={TAG}>联{p.load}户</Tag>;

  const columns: TableColumnsType<Person> = [
    { title: '姓名', key: 'name', render: (_, p) => <><strong>{p.name}</strong>{handbook(p)}</> },
    ...(showVillage ? [{ title: '村（社区）', key: 'org', render: (_: unknown, p: Person) => p.orgName }] : []),
    { title: '性别', key: 'sex', render: (_, p) => sexLabels[p.sex] },
    { title: '年龄', key: 'age', render: (_, p) => p.age ?? '' },
    { title: '手机号码', key: 'phone', render: (_, p) => phone(p) },
    ...(member ? [{ title: '入党日期', key: 'since', render: (_: unknown, p: Person) => p.memberSince ?? '' }] : []),
    { title: '标记', key: 'flags', render: (_, p) => flags(p) },
    { title: '网格', key: 'grid', render: (_, p) => p.gridName ?? '' },
    { title: '联系户数', key: 'load', render: (_, p) => load(p) },
    { title: filters.left ? '离开名册' : '账号', key: 'account', render: (_, p) => status(p) },
    ...(canWrite && !filters.left ? [{ title: '操作', key: 'actions', render: (_: unknown, p: Person) => actions(p) }] : []),
  ];

  return (
    <article aria-labelledby="roster-title">
      {rows.some((r) => r.synthetic) && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="名册中的人员为演示数据，并非真实信息。" style={{ marginBottom: 12 }} />
      )}
      <OrgBreadcrumb org={o} trail={[{ label: '党员名册' }]} />
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="roster-title" style={{ margin: 0 }}>{o.shortName || o.name} · 党员名册</PageTitle>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {me.abilities.includes('accounts.manage') && filters.kind !== 'helper' && !filters.left && (o.level === 'village' || o.level === 'town') && (
            <OpenAccountsButton orgCode={o.code} label={o.level === 'town' ? '为本镇党员开通账号' : '为本支部党员开通账号'} onDone={() => void list.refetch()} />
          )}
          <Button href={peopleExportUrl(o.code, filters)} download>导出 Excel</Button>
          {canWrite && isVillage && (
            <Button type="primary" onClick={() => setEditing({ person: null })}>新增{noun}</Button>
          )}
        </div>
      </div>
      <Tabs
        activeKey={filters.kind}
        onChange={(k) => { setSelected([]); setFilter('kind', k === 'helper' ? 'helper' : undefined); }}
        items={[{ key: 'member', label: '党员' }, { key: 'helper', label: '志愿者等' }]}
      />
      <div role="search" aria-label={`筛选${noun}`} style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
        <Input.Search
          key={filters.q ?? ''}
          defaultValue={filters.q}
          placeholder="姓名、拼音首字母或手机尾号（4 位）"
          aria-label={`搜索${noun}`}
          enterButton="搜索"
          allowClear
          maxLength={40}
          onSearch={(v) => setFilter('q', v.trim() || undefined)}
        />
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {member ? (
            <Select aria-label="按标记筛选" style={{ minWidth: 120 }} value={flag ?? ''} onChange={(v: string) => setFilter('flag', v || undefined)}
              options={[{ value: '', label: '全部标记' }, { value: 'mobile', label: '流动党员' }, { value: 'dual', label: '双报到' }]} />
          ) : (
            <Select aria-label="按类别筛选" style={{ minWidth: 120 }} value={filters.helperKind ?? ''} onChange={(v: string) => setFilter('helperKind', v || undefined)}
              options={[{ value: '', label: '全部类别' }, ...helperKindOptions]} />
          )}
          {isVillage && (grids.data?.length ?? 0) > 0 && (
            <Select aria-label="按网格筛选" style={{ minWidth: 120 }} value={filters.grid ?? ''} onChange={(v: string) => setFilter('grid', v || undefined)}
              options={[{ value: '', label: '全部网格' }, { value: 'none', label: '未划网格' }, ...grids.data!.map((g) => ({ value: g.code, label: g.name }))]} />
          )}
          <Select aria-label="按账号筛选" style={{ minWidth: 120 }} value={filters.account ?? ''} onChange={(v: string) => setFilter('account', v || undefined)}
            options={[{ value: '', label: '全部账号状态' }, ...ACCOUNTS.map((a) => ({ value: a, label: `账号${accountLabels[a as AccountStatus]}` }))]} />
          <Select aria-label="按联系户数筛选" style={{ minWidth: 120 }} value={filters.load ?? ''} onChange={(v: string) => setFilter('load', v || undefined)}
            options={[{ value: '', label: '全部联户情况' }, ...(['under', 'within', 'over'] as const).map((l) => ({ value: l, label: loadStatusLabels[l] }))]} />
          <Select aria-label="排序" style={{ minWidth: 140 }} value={`${filters.sort ?? 'name'}:${filters.dir ?? 'asc'}`}
            onChange={(v: string) => {
              const [s, d] = v.split(':') as [PersonSort, 'asc' | 'desc'];
              setFilter('sort', s === 'name' ? undefined : s);
              setFilter('dir', d === 'asc' ? undefined : d);
            }}
            options={SORTS.flatMap((s) => [
              { value: `${s}:asc`, label: `按${sortLabels[s]}${s === 'name' ? '' : s === 'age' || s === 'load' ? '从小到大' : '从早到晚'}` },
              { value: `${s}:desc`, label: `按${sortLabels[s]}${s === 'name' ? '倒序' : s === 'age' || s === 'load' ? '从大到小' : '从晚到早'}` },
            ])} />
          <Select aria-label="在册或已离开" style={{ minWidth: 120 }} value={filters.left ?? ''} onChange={(v: string) => setFilter('left', v || undefined)}
            options={[{ value: '', label: '在册人员' }, { value: 'true', label: '已离开名册' }]} />
        </div>
      </div>
      {selected.length > 0 && (
        <Space wrap style={{ marginBottom: 8 }}>
          <Typography.Text aria-live="polite" style={{ fontSize: 14 }}>已选 {selected.length} 人</Typography.Text>
          {me.abilities.includes('grids.manage') && (
            <AssignGridButton villageCode={code} kind="people" selected={selected} onDone={() => setSelected([])} />
          )}
        </Space>
      )}
      <Typography.Paragraph type="secondary" aria-live="polite" style={{ fontSize: 14 }} data-testid="roster-count">
        {list.isPending ? '正在加载…' : `${filtered ? '找到' : '已显示'} ${rows.length}${list.hasNextPage ? '+' : ''} 人`}
      </Typography.Paragraph>
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <section aria-label={`${noun}名单`}>
          {wide ? (
            <Table<Person>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={rows}
              loading={list.isPending}
              pagination={false}
              scroll={{ x: 'max-content' }}
              rowSelection={canWrite && isVillage && !filters.left ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (p) => ({ 'aria-label': `选择 ${p.name}` }),
                columnTitle: '选择',
              } : undefined}
              locale={{ emptyText: <Empty description={filtered ? `没有符合条件的${noun}` : `还没有登记${noun}`} /> }}
            />
          ) : (
            <List
              bordered
              style={{ background: '#fff' }}
              loading={list.isPending}
              locale={{ emptyText: <Empty description={filtered ? `没有符合条件的${noun}` : `还没有登记${noun}`} /> }}
              dataSource={rows}
              renderItem={(p) => (
                <List.Item key={p.id} style={{ padding: '8px 12px', display: 'block' }}>
                  <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
                    <strong style={{ fontSize: 17 }}>{p.name}</strong>
                    <Typography.Text type="secondary">{sexLabels[p.sex]}{p.age !== null ? ` · ${p.age}岁` : ''}{showVillage ? ` · ${p.orgName}` : ''}</Typography.Text>
                    {flags(p)}
                    {handbook(p)}
                  </div>
                  <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, marginTop: 4, fontSize: 15 }}>
                    {phone(p)}
                    {member && p.memberSince && <Typography.Text type="secondary">入党 {p.memberSince}</Typography.Text>}
                    {p.gridName && <Typography.Text type="secondary">{p.gridName}</Typography.Text>}
                    {load(p)}
                    {status(p)}
                  </div>
                  {canWrite && !filters.left && <div style={{ marginTop: 6 }}>{actions(p)}</div>}
                </List.Item>
              )}
            />
          )}
          {list.hasNextPage && (
            <div style={{ textAlign: 'center', padding: 12 }}>
              <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>加载更多</Button>
            </div>
          )}
        </section>
      )}
      {editing && (
        <PersonDrawer open village={editing.person?.orgCode ?? o.code} kind={filters.kind} person={editing.person} onClose={() => setEditing(null)} />
      )}
      <PersonLeaveModal request={leaving} onClose={() => setLeaving(null)} />
      <PersonTransferModal person={transferring} root={root} onClose={() => setTransferring(null)} />
      <AuditedRevealModal
        request={revealing && {
          subject: revealing.name, fieldName: '手机号码', placeholder: '如：联系党员参加走访',
          reveal: (reason: string) => revealPersonPhone(revealing.id, reason), callable: true,
        }}
        onClose={() => setRevealing(null)}
      />
    </article>
  );
}
