import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Input, List, Select, Skeleton, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams, useRouteLoaderData } from 'react-router';
import type { BusinessKind, Me } from '@lianxin/contracts';
import { useFilterParams } from '../app/use-filter-params.ts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { BusinessExportModal } from '../features/businesses/business-export-modal.tsx';
import { kindColors, kindLabels, kindOptions } from '../features/businesses/business-labels.ts';
import { businessListQuery, exportUrl, type BusinessFilters } from '../features/businesses/business-queries.ts';
import { LinkedFilter } from '../features/coverage/linked-filter.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import { orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle } from '../app/page-title.tsx';
import { SelectableRow, SelectionBar, useListSelection } from '../features/grids/list-selection.tsx';

const KINDS = new Set<string>(['enterprise', 'shop', 'team']);

/** /orgs/:code/businesses — the enterprises, shops and teams of a village (or of a town's villages). */
export function BusinessListPage() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const me = useRouteLoaderData('shell') as Me;
  const [params, setFilter] = useFilterParams<keyof BusinessFilters>();
  const kind = params.get('kind');
  const linked = params.get('unlinked');
  const filters: BusinessFilters = {
    kind: kind && KINDS.has(kind) ? (kind as BusinessKind) : undefined,
    q: params.get('q')?.trim() || undefined,
    unlinked: linked === 'true' || linked === 'false' ? linked : undefined,
  };
  const org = useQuery(orgQuery(code));
  const list = useInfiniteQuery({ ...businessListQuery(code, filters), enabled: org.isSuccess && org.data.abilities.readPeople });
  const [fullExport, setFullExport] = useState(false);
  const selection = useListSelection();

  if (org.isPending) return <Skeleton active />;
  if (org.isError || !org.data.abilities.readPeople) {
    return <UnavailableResult error={org.isError ? org.error : null} title="未找到或无权查看" text="该组织的企业商户不存在，或不在您的查看范围内。" />;
  }

  const o = org.data;
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(filters.q || filters.kind || filters.unlinked);
  const anySynthetic = rows.some((r) => r.synthetic);
  const showVillage = o.level !== 'village';
  // A member reads only the businesses linked to them now (the server filters): the page is theirs, not the village's.
  const linkedOnly = !o.abilities.readRegistry;
  const pageName = linkedOnly ? '我联系的企业商户' : '企业商户';
  // 划入网格: a village with grids (its children), for its grid managers; the server checks the same ability and scope.
  const canAssignGrid = o.level === 'village' && o.counts.children > 0 && o.abilities.writeRegistry && me.abilities.includes('grids.manage');

  return (
    <article aria-labelledby="businesses-title">
      {anySynthetic && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="列表中的企业商户为演示数据，并非真实信息。" style={{ marginBottom: 12 }} />
      )}
      <OrgBreadcrumb org={o} trail={[{ label: pageName }]} />
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="businesses-title" style={{ margin: 0 }}>{o.shortName || o.name} · {pageName}</PageTitle>
        {!linkedOnly && <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {/* The masked export of what the list shows; the server audits it. */}
          <Button href={exportUrl(o.code, filters)} download>导出 Excel</Button>
          {/* Full phones: the roles that may reveal (the server checks the scope and audits the reason). */}
          {canRegister(o) && <Button onClick={() => setFullExport(true)}>导出完整号码</Button>}
          {canRegister(o) && <Button onClick={() => navigate(`/orgs/${encodeURIComponent(o.code)}/import/businesses`)}>Excel 导入</Button>}
          {canRegister(o) && (
            <Button type="primary" onClick={() => navigate(`/businesses/new?org=${encodeURIComponent(o.code)}${filters.kind ? `&kind=${filters.kind}` : ''}`)}>
              新增企业商户
            </Button>
          )}
        </div>}
      </div>
      <div role="search" aria-label="筛选企业商户" style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
        <Input.Search
          key={filters.q ?? ''}
          defaultValue={filters.q}
          placeholder="名称、拼音首字母、地址或信用代码"
          aria-label="搜索企业商户"
          enterButton="搜索"
          allowClear
          maxLength={40}
          onSearch={(v) => setFilter('q', v.trim() || undefined)}
        />
        <div style={{ display: 'flex', gap: 8 }}>
          <Select
            aria-label="按类型筛选"
            style={{ flex: 1, minWidth: 0 }}
            value={filters.kind ?? ''}
            onChange={(v: string) => setFilter('kind', v || undefined)}
            options={[{ value: '', label: '全部类型' }, ...kindOptions]}
          />
          {!linkedOnly && <LinkedFilter value={filters.unlinked} onChange={(v) => setFilter('unlinked', v)} />}
        </div>
      </div>
      {canAssignGrid && (
        <div style={{ marginBottom: 8 }}>
          <SelectionBar selection={selection} villageCode={o.code} kind="businesses" shownIds={rows.map((r) => r.id)} />
        </div>
      )}
      <Typography.Paragraph type="secondary" aria-live="polite" style={{ fontSize: 14 }} data-testid="business-count">
        {list.isPending
          ? '正在加载…'
          : `${filtered ? '找到' : linkedOnly ? '您联系' : '已显示'} ${rows.length}${list.hasNextPage ? '+' : ''} 家`}
      </Typography.Paragraph>
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <section aria-label="企业商户列表">
          <List
            bordered
            style={{ background: '#fff' }}
            loading={list.isPending}
            locale={{ emptyText: <Empty description={filtered ? '没有符合条件的企业商户' : linkedOnly ? '您目前没有联系的企业商户' : '还没有登记企业商户'} /> }}
            dataSource={rows}
            renderItem={(b) => (
              <List.Item key={b.id} style={{ padding: '4px 12px' }}>
                <SelectableRow selection={selection} id={b.id} label={b.name}>
                  <Link to={`/businesses/${encodeURIComponent(b.id)}`} className="lx-row-link" style={{ width: '100%' }}>
                    <span style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
                      <Tag color={kindColors[b.kind]} style={{ fontSize: 14, marginInlineEnd: 0 }}>{kindLabels[b.kind]}</Tag>
                      <strong style={{ fontSize: 17 }}>{b.name}</strong>
                      {b.linkedMember ? (
                        <Typography.Text type="secondary">联户：{b.linkedMember.name}</Typography.Text>
                      ) : (
                        <Tag color="red" style={{ fontSize: 14, marginInlineEnd: 0 }}>未联户</Tag>
                      )}
                    </span>
                    <span style={{ display: 'block', color: 'rgba(0,0,0,0.65)', fontSize: 15, marginTop: 2 }}>
                      {b.address}
                      {b.parentName && <Typography.Text type="secondary"> · {b.parentName}</Typography.Text>}
                      {(b.gridName || showVillage) && (
                        <Typography.Text type="secondary"> · {[showVillage ? b.orgName : null, b.gridName].filter(Boolean).join(' ')}</Typography.Text>
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
      {!linkedOnly && <BusinessExportModal open={fullExport} org={o.code} filters={filters} onClose={() => setFullExport(false)} />}
    </article>
  );
}
