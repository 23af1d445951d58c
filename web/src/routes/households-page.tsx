import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Input, List, Select, Skeleton, Tag, Typography } from 'antd';
import { Link, useLocation, useNavigate, useParams, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { useFilterParams } from '../app/use-filter-params.ts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import { householdListQuery, tagsQuery, type HouseholdFilters } from '../features/households/household-queries.ts';
import { HouseholdTags } from '../features/households/household-tags.tsx';
import { childrenQuery, orgQuery } from '../features/orgs/org-queries.ts';
import { LinkedFilter } from '../features/coverage/linked-filter.tsx';
import { MemberPicker } from '../features/coverage/member-picker.tsx';
import { PageTitle } from '../app/page-title.tsx';
import { SelectableRow, SelectionBar, useListSelection } from '../features/grids/list-selection.tsx';

export function HouseholdsPage() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const me = useRouteLoaderData('shell') as Me;
  const [params, setFilter] = useFilterParams<keyof HouseholdFilters>();
  const filters: HouseholdFilters = {
    q: params.get('q')?.trim() || undefined,
    tag: params.get('tag') || undefined,
    away: params.get('away') === 'true' || params.get('away') === 'false' ? (params.get('away') as 'true' | 'false') : undefined,
    grid: params.get('grid') || undefined,
    unlinked: params.get('unlinked') === 'true' || params.get('unlinked') === 'false' ? (params.get('unlinked') as 'true' | 'false') : undefined,
    member: params.get('member') || undefined,
  };
  const org = useQuery(orgQuery(code));
  const removed = (useLocation().state as { removed?: string } | null)?.removed;
  const tags = useQuery(tagsQuery);
  const list = useInfiniteQuery({ ...householdListQuery(code, filters), enabled: org.isSuccess && org.data.abilities.readPeople });
  // A village's grids (its children), for the 网格 filter; towns list their villages' households without it.
  const isVillage = org.data?.level === 'village';
  const grids = useInfiniteQuery({ ...childrenQuery(code), enabled: isVillage && (org.data?.counts.children ?? 0) > 0 });
  const selection = useListSelection();

  if (org.isPending) return <Skeleton active />;
  if (org.isError || !org.data.abilities.readPeople) {
    return <UnavailableResult error={org.isError ? org.error : null} title="未找到或无权查看" text="该组织的户籍不存在，或不在您的查看范围内。" />;
  }

  const o = org.data;
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(filters.q || filters.tag || filters.away || filters.grid || filters.unlinked || filters.member);
  const gridOptions = (grids.data?.pages.flatMap((p) => p.data) ?? []).filter((g) => g.level === 'grid');
  const anySynthetic = rows.some((r) => r.synthetic);
  const showVillage = o.level !== 'village';
  // A member reads only the households linked to them now (the server filters): the page is theirs, not the village's.
  const linkedOnly = !o.abilities.readRegistry;
  const pageName = linkedOnly ? '我联系的住户' : '户籍';
  // 划入网格: a village's grid managers (the server checks the same ability in the village's scope).
  const canAssignGrid = isVillage && o.abilities.writeRegistry && me.abilities.includes('grids.manage') && gridOptions.length > 0;

  return (
    <article aria-labelledby="households-title">
      {anySynthetic && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="列表中的住户为演示数据，并非真实人员信息。" style={{ marginBottom: 12 }} />
      )}
      <OrgBreadcrumb org={o} trail={[{ label: pageName }]} />
      {removed && <Alert role="status" type="success" showIcon title={`已注销 ${removed}`} style={{ margin: '8px 0' }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="households-title" style={{ margin: 0 }}>{o.shortName || o.name} · {pageName}</PageTitle>
        {canRegister(o) && (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <Button onClick={() => navigate(`/orgs/${encodeURIComponent(o.code)}/households/import`)}>Excel 导入</Button>
            <Button type="primary" onClick={() => navigate(`/households/new?org=${encodeURIComponent(o.code)}`)}>新增住户</Button>
          </div>
        )}
      </div>
      <div role="search" aria-label="筛选住户" style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
        <Input.Search
          key={filters.q ?? ''}
          defaultValue={filters.q}
          placeholder="姓名、拼音首字母或地址"
          aria-label="搜索住户"
          enterButton="搜索"
          allowClear
          maxLength={40}
          onSearch={(v) => setFilter('q', v.trim() || undefined)}
        />
        <div style={{ display: 'flex', gap: 8 }}>
          <Select
            aria-label="按标签筛选"
            style={{ flex: 1, minWidth: 0 }}
            value={filters.tag ?? ''}
            onChange={(v: string) => setFilter('tag', v || undefined)}
            options={[{ value: '', label: '全部标签' }, ...(tags.data ?? []).map((t) => ({ value: t.code, label: t.name }))]}
          />
          <Select
            aria-label="按在外情况筛选"
            style={{ flex: 1, minWidth: 0 }}
            value={filters.away ?? ''}
            onChange={(v: string) => setFilter('away', v || undefined)}
            options={[
              { value: '', label: '在外：不限' },
              { value: 'true', label: '有人在外' },
              { value: 'false', label: '无人在外' },
            ]}
          />
        </div>
        {!linkedOnly && (
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <LinkedFilter
              value={filters.member ? undefined : filters.unlinked}
              disabled={Boolean(filters.member)}
              onChange={(v) => setFilter('unlinked', v)}
            />
            {isVillage && (
              <MemberPicker
                org={code}
                label="按联户党员筛选"
                placeholder="联户党员：不限"
                value={filters.member}
                onChange={(id) => setFilter('member', id)}
                onClear={() => setFilter('member', undefined)}
                style={{ flex: 1, minWidth: 140 }}
              />
            )}
            {gridOptions.length > 0 && (
              <Select
                aria-label="按网格筛选"
                style={{ flex: 1, minWidth: 140 }}
                value={filters.grid ?? ''}
                onChange={(v: string) => setFilter('grid', v || undefined)}
                options={[{ value: '', label: '网格：不限' }, ...gridOptions.map((g) => ({ value: g.code, label: g.name }))]}
              />
            )}
          </div>
        )}
      </div>
      {canAssignGrid && (
        <div style={{ marginBottom: 8 }}>
          <SelectionBar selection={selection} villageCode={o.code} kind="households" shownIds={rows.map((r) => r.id)} />
        </div>
      )}
      <Typography.Paragraph type="secondary" aria-live="polite" style={{ fontSize: 14 }} data-testid="household-count">
        {list.isPending
          ? '正在加载…'
          : filtered
            ? `找到 ${rows.length}${list.hasNextPage ? '+' : ''} 户`
            : linkedOnly
              ? `您联系 ${rows.length}${list.hasNextPage ? '+' : ''} 户`
              : `共 ${o.counts.households} 户${list.hasNextPage ? `，已显示 ${rows.length} 户` : ''}`}
      </Typography.Paragraph>
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <section aria-label="住户列表">
          <List
            bordered
            style={{ background: '#fff' }}
            loading={list.isPending}
            locale={{ emptyText: <Empty description={filtered ? '没有符合条件的住户' : linkedOnly ? '您目前没有联系的住户' : '还没有登记住户'} /> }}
            dataSource={rows}
            renderItem={(h) => (
              <List.Item key={h.id} style={{ padding: '4px 12px' }}>
                <SelectableRow selection={selection} id={h.id} label={`${h.headName}户`}>
                  <Link to={`/households/${encodeURIComponent(h.id)}`} className="lx-row-link" style={{ width: '100%' }}>
                    <span style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
                      <strong style={{ fontSize: 17 }}>{h.headName}户</strong>
                      <Typography.Text type="secondary">{h.residentCount} 人</Typography.Text>
                      {h.away && <Tag color="purple" style={{ fontSize: 14, marginInlineEnd: 0 }}>有人在外</Tag>}
                      <HouseholdTags tags={h.tags} />
                    </span>
                    <span style={{ display: 'block', color: 'rgba(0,0,0,0.65)', fontSize: 15, marginTop: 2 }}>
                      {h.address}
                      {(h.gridName || showVillage) && (
                        <Typography.Text type="secondary"> · {[showVillage ? h.orgName : null, h.gridName].filter(Boolean).join(' ')}</Typography.Text>
                      )}
                    </span>
                  </Link>
                </SelectableRow>
              </List.Item>
            )}
            loadMore={
              list.hasNextPage ? (
                <div style={{ textAlign: 'center', padding: 12 }}>
                  <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>加载更多</Button>
                </div>
              ) : null
            }
          />
        </section>
      )}
    </article>
  );
}
