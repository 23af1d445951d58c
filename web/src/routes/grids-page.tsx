import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Empty, Grid as AntGrid, List, Skeleton, Space, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { Grid } from '@lianxin/contracts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { GridDialogs, type GridDialog } from '../features/grids/grid-dialogs.tsx';
import { countsText, gridsQuery } from '../features/grids/grid-queries.ts';
import { orgQuery } from '../features/orgs/org-queries.ts';

/**
 * /orgs/:code/grids — a village's 网格: what each holds and its 网格长; the secretary (town, office) creates, renames,
 * merges and retires them. Households and businesses are moved into grids from their lists (选择 → 划入网格).
 */
export function GridsPage() {
  const { code = '' } = useParams();
  const [retired, setRetired] = useState(false);
  const org = useQuery(orgQuery(code));
  const isVillage = org.data?.level === 'village';
  const grids = useQuery({ ...gridsQuery(code, retired), enabled: org.isSuccess && isVillage && org.data.abilities.readRegistry });
  const [dialog, setDialog] = useState<GridDialog | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const wide = AntGrid.useBreakpoint().md === true;

  if (org.isPending) return <Skeleton active />;
  if (org.isError || !org.data.abilities.readRegistry) {
    return <UnavailableResult error={org.isError ? org.error : null} title="未找到或无权查看" text="该村（社区）的网格不存在，或不在您的查看范围内。" />;
  }
  const o = org.data;
  if (!isVillage) {
    return <Alert type="info" showIcon title="网格按村（社区）划分" description="请在组织架构中选择一个村（社区）后再管理网格。" />;
  }
  if (grids.isError) return <UnavailableResult error={grids.error} title="网格加载失败" text="请稍后重试。" />;

  const manage = grids.data?.abilities.manage ?? false;
  const rows = grids.data?.data ?? [];
  const current = rows.filter((g) => !g.validTo);
  const emptyText = <Empty description={manage ? '还没有网格，点「新建网格」开始划分' : '还没有网格'} />;
  const open = (d: GridDialog) => { setDone(null); setDialog(d); };
  const nameCell = (g: Grid) => (
    <span>
      <strong>{g.name}</strong>
      {g.validTo && (
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {g.mergedIntoCode ? `${g.validTo} 并入「${rows.find((r) => r.code === g.mergedIntoCode)?.name ?? g.mergedIntoCode}」` : `${g.validTo} 撤销`}
        </Typography.Text>
      )}
    </span>
  );
  const leaderText = (g: Grid) => g.leader?.name ?? (g.validTo ? '—' : '未设');
  const householdsLink = (g: Grid) => (
    <Link
      to={`/orgs/${encodeURIComponent(o.code)}/households?grid=${encodeURIComponent(g.code)}`}
      aria-label={`${g.name}住户 ${g.counts.households} 户`}
      style={{ display: 'inline-block', minWidth: 44, lineHeight: '44px', textAlign: 'center' }}
    >
      {g.counts.households}
    </Link>
  );
  const actions = (g: Grid) => (g.validTo ? null : (
    <Space wrap size={0}>
      <Button type="link" size="small" onClick={() => open({ kind: 'rename', grid: g })} aria-label={`改名 ${g.name}`}>改名</Button>
      <Button type="link" size="small" onClick={() => open({ kind: 'leader', grid: g })} aria-label={`设置网格长 ${g.name}`}>网格长</Button>
      {current.length > 1 && <Button type="link" size="small" onClick={() => open({ kind: 'merge', grid: g })} aria-label={`合并 ${g.name}`}>合并</Button>}
      <Button type="link" size="small" danger onClick={() => open({ kind: 'retire', grid: g })} aria-label={`撤销 ${g.name}`}>撤销</Button>
    </Space>
  ));

  return (
    <article aria-labelledby="grids-title">
      <OrgBreadcrumb org={o} trail={[{ label: '网格' }]} />
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="grids-title" style={{ margin: 0 }}>{o.shortName || o.name} · 网格</PageTitle>
        {manage && <Button type="primary" onClick={() => open({ kind: 'create' })}>新建网格</Button>}
      </div>
      <Typography.Paragraph type="secondary">
        住户在户籍和联户示意图中按网格排列。把住户或企业商户划入网格：在户籍或企业商户列表中点「选择」，勾选后点「划入网格」。
      </Typography.Paragraph>
      {done && <Alert role="status" type="success" showIcon title={done} style={{ marginBottom: 12 }} />}
      <Checkbox checked={retired} onChange={(e) => setRetired(e.target.checked)} style={{ marginBottom: 12 }}>显示已撤销、已合并的网格</Checkbox>
      {wide ? (
        <Table<Grid>
          rowKey="code"
          size="middle"
          loading={grids.isPending}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText }}
          columns={[
            { title: '网格', key: 'name', render: (_, g) => nameCell(g) },
            { title: '网格长', key: 'leader', render: (_, g) => leaderText(g) },
            { title: '住户', key: 'households', align: 'right', render: (_, g) => (g.validTo ? '—' : householdsLink(g)) },
            { title: '企业商户', key: 'businesses', align: 'right', render: (_, g) => (g.validTo ? '—' : g.counts.businesses) },
            { title: '人员', key: 'people', align: 'right', render: (_, g) => (g.validTo ? '—' : g.counts.people) },
            ...(manage ? [{ title: '操作', key: 'actions', render: (_: unknown, g: Grid) => actions(g) }] : []),
          ]}
        />
      ) : (
        // A phone gets one card per grid: a six-column table would scroll sideways and hide the actions.
        <section aria-label="网格列表">
          <List
            bordered
            style={{ background: '#fff' }}
            loading={grids.isPending}
            dataSource={rows}
            locale={{ emptyText }}
            renderItem={(g) => (
              <List.Item key={g.code} data-grid={g.code} style={{ display: 'block', padding: '8px 12px' }}>
                {nameCell(g)}
                <div>网格长：{leaderText(g)}</div>
                {!g.validTo && <div>住户 {householdsLink(g)} 户 · 企业商户 {g.counts.businesses} 家 · 人员 {g.counts.people} 名</div>}
                {manage && actions(g)}
              </List.Item>
            )}
          />
        </section>
      )}
      {grids.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} data-testid="unassigned">
          未划入网格：{countsText(grids.data.unassigned)}
        </Typography.Paragraph>
      )}
      <GridDialogs
        village={o.code}
        grids={current}
        dialog={dialog}
        onClose={() => setDialog(null)}
        onDone={(text) => { setDialog(null); setDone(text); }}
      />
    </article>
  );
}
