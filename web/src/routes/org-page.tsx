import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Row, Skeleton, Statistic, Typography } from 'antd';
import { Link, useParams, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { childrenQuery, orgQuery } from '../features/orgs/org-queries.ts';
import { myLinkCountsQuery } from '../features/coverage/coverage-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { RestructureDialog } from '../features/settings/restructure-dialog.tsx';
import { useState } from 'react';

const navCardStyle = {
  background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, padding: '8px 12px', marginBottom: 16,
  justifyContent: 'space-between', gap: 8, boxSizing: 'border-box',
} as const;

/** One of the org's work areas (户籍, 企业商户, 联户覆盖 …) as a full-width tap target. */
function NavCard({ to, title, extra = '›' }: { to: string; title: string; extra?: string }) {
  return (
    <Link to={to} className="lx-block-link" style={navCardStyle}>
      <span style={{ fontSize: 16, fontWeight: 500 }}>{title}</span>
      <Typography.Text type="secondary">{extra}</Typography.Text>
    </Link>
  );
}

export function OrgPage() {
  const { code = '' } = useParams();
  const me = useRouteLoaderData('shell') as Me;
  const org = useQuery(orgQuery(code));
  const children = useInfiniteQuery({ ...childrenQuery(code), enabled: org.isSuccess && org.data.counts.children > 0 });
  // A member (reads people but not the register) sees what is linked to them: their own counts, not the village's.
  const linkedOnly = org.isSuccess && org.data.abilities.readPeople && !org.data.abilities.readRegistry;
  const mine = useQuery({ ...myLinkCountsQuery, enabled: linkedOnly });
  const [restructuring, setRestructuring] = useState(false);

  if (org.isPending) return <Skeleton active />;
  if (org.isError) {
    return <UnavailableResult error={org.error} title="未找到或无权查看" text="该组织不存在，或不在您的查看范围内。" />;
  }

  const o = org.data;
  const childRows = children.data?.pages.flatMap((p) => p.data) ?? [];
  // Counts that apply to the level: the zone and towns have villages under them; villages and grids have households.
  // A department, office or unit has neither — a row of zeros would read as "nobody there" — so it shows only the
  // members and sub-organizations it actually has. A village is not counted as its own 村（社区）.
  const aboveVillage = o.level === 'zone' || o.level === 'town';
  const territorial = aboveVillage || o.level === 'village' || o.level === 'grid';
  const stats = [
    ...(aboveVillage || o.counts.children > 0 ? [{ title: '下级组织', value: o.counts.children }] : []),
    ...(aboveVillage ? [{ title: '村（社区）', value: o.counts.villages }] : []),
    ...(territorial || o.counts.members > 0 ? [{ title: '党员', value: o.counts.members }] : []),
    ...(territorial ? [{ title: '户数', value: o.counts.households }] : []),
  ];
  // Only an NBS statistical code (12 digits) means something to a reader; 419001000000-D05 is our internal key.
  const nbsCode = /^\d{12}$/.test(o.code) ? o.code : null;
  const kind = [o.adminKind, o.partyKind].filter(Boolean).join(' · ');
  const at = (path: string) => `/orgs/${encodeURIComponent(o.code)}/${path}`;

  return (
    <article aria-labelledby="org-title">
      {/* The shell already shows the banner for a demo deployment. */}
      {o.synthetic && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="该组织为演示数据，并非真实组织。" style={{ marginBottom: 12 }} />
      )}
      <OrgBreadcrumb org={o} />
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 8, marginTop: 8 }}>
        <PageTitle id="org-title">{o.name}</PageTitle>
        {/* 组织调整: the office's (abilities.update = orgs.restructure within scope), for towns and villages. */}
        {o.abilities.update && (o.level === 'village' || o.level === 'town') && (
          <Button onClick={() => setRestructuring(true)}>调整</Button>
        )}
      </div>
      {restructuring && <RestructureDialog org={o} open onClose={() => setRestructuring(false)} />}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'level', label: '层级', children: orgLevelLabels[o.level] },
          ...(o.partyName || territorial ? [{ key: 'party', label: '党组织', children: o.partyName ?? '—' }] : []),
          ...(kind || territorial ? [{ key: 'kind', label: '类别', children: kind || '—' }] : []),
          ...(nbsCode ? [{ key: 'code', label: '统计用区划代码', children: nbsCode }] : []),
        ]}
      />
      {o.level === 'department' && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="department-matters">
          <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>
            转办事项：民情事项办理上线后，转办或抄送到本部门的事项将在这里显示。
          </Typography.Paragraph>
        </Card>
      )}
      {stats.length > 0 && <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {stats.map((s) => (
          <Col key={s.title} xs={12} md={6}>
            <Card size="small">
              <Statistic title={s.title} value={s.value} />
            </Card>
          </Col>
        ))}
      </Row>}
      {o.abilities.readPeople && (o.level === 'village' || o.level === 'town') && (
        linkedOnly ? (
          <>
            <NavCard to={at('households')} title="我联系的住户 · 走访时查看和联系" extra={mine.data ? `${mine.data.households} 户 ›` : '›'} />
            <NavCard to={at('businesses')} title="我联系的企业商户 · 企业、商户和班组" extra={mine.data ? `${mine.data.businesses} 家 ›` : '›'} />
          </>
        ) : (
          <NavCard to={at('households')} title="户籍 · 住户和居民登记" extra={`${o.counts.households} 户 ›`} />
        )
      )}
      {o.abilities.readRegistry && (o.level === 'village' || o.level === 'town') && (
        <NavCard to={at('businesses')} title="企业商户 · 企业、商户和班组登记" />
      )}
      {o.abilities.readRegistry && (o.level === 'village' || o.level === 'town') && (
        <NavCard to={`/roster?org=${encodeURIComponent(o.code)}`} title="党员名册 · 党员和志愿者" extra={`${o.counts.members} 名党员 ›`} />
      )}
      {o.abilities.readCoverage && ['zone', 'town', 'village', 'grid'].includes(o.level) && (
        <NavCard to={at('coverage')} title="联户覆盖 · 党员联系住户情况" />
      )}
      {o.level === 'village' && o.abilities.readCoverage && (
        <NavCard to={at('link-map')} title="联户示意图 · 联系卡打印" />
      )}
      {o.level === 'village' && o.abilities.readRegistry && (
        <NavCard to={at('grids')} title="网格 · 网格划分和网格长" />
      )}
      {canRegister(o) && (
        <NavCard to={at('import/members')} title="党员导入 · Excel 导入党员和志愿者" />
      )}
      {(aboveVillage || o.counts.children > 0) && <SectionTitle>下级组织</SectionTitle>}
      {o.counts.children === 0 ? (
        aboveVillage && <Empty description="没有下级组织" />
      ) : children.isError ? (
        <Alert type="error" showIcon title="加载失败" description={children.error.message} />
      ) : (
        <section aria-label="下级组织">
        <List
          bordered
          style={{ background: '#fff' }}
          loading={children.isPending}
          dataSource={childRows}
          renderItem={(c) => (
            <List.Item key={c.code} style={{ padding: '4px 12px' }}>
              <Link to={`/orgs/${encodeURIComponent(c.code)}`} className="lx-block-link" style={{ justifyContent: 'space-between', gap: 8 }}>
                <span style={{ fontSize: 16 }}>{c.name}</span>
                <Typography.Text type="secondary">{orgLevelLabels[c.level]}</Typography.Text>
              </Link>
            </List.Item>
          )}
          loadMore={
            children.hasNextPage ? (
              <div style={{ textAlign: 'center', padding: 12 }}>
                <Button onClick={() => children.fetchNextPage()} loading={children.isFetchingNextPage}>加载更多</Button>
              </div>
            ) : null
          }
        />
        </section>
      )}
    </article>
  );
}
