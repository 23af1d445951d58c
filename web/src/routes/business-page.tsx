import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Skeleton, Tag, Typography } from 'antd';
import { Link, useParams, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { BusinessEditDrawer } from '../features/businesses/business-edit-drawer.tsx';
import { kindColors, kindLabels } from '../features/businesses/business-labels.ts';
import { ConstituentLinks } from '../features/coverage/constituent-links.tsx';
import { businessQuery } from '../features/businesses/business-queries.ts';
import { BusinessRevealModal } from '../features/businesses/business-reveal-modal.tsx';
import { PageTitle } from '../app/page-title.tsx';
import { VisitHistory } from '../features/visits/visit-history.tsx';

/** /businesses/:id — one enterprise, shop or team: details, 编辑, the audited 查看 of the contact phone, 联户党员. */
export function BusinessPage() {
  const { id = '' } = useParams();
  const me = useRouteLoaderData('shell') as Me;
  const business = useQuery(businessQuery(id));
  const [editOpen, setEditOpen] = useState(false);
  const [revealing, setRevealing] = useState(false);

  if (business.isPending) return <Skeleton active />;
  if (business.isError) {
    return <UnavailableResult error={business.error} title="未找到或无权查看" text="该企业（商户）不存在，或不在您的查看范围内。" />;
  }

  const b = business.data;
  const { update: canUpdate, reveal: canReveal } = b.abilities;
  const none = <Typography.Text type="secondary">未登记</Typography.Text>;

  return (
    <article aria-labelledby="business-title">
      {b.synthetic && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="该企业（商户）为演示数据，并非真实信息。" style={{ marginBottom: 12 }} />
      )}
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            { key: 'org', title: <Link to={`/orgs/${encodeURIComponent(b.orgCode)}`}>{b.orgName}</Link> },
            { key: 'list', title: <Link to={`/orgs/${encodeURIComponent(b.orgCode)}/businesses`}>企业商户</Link> },
            { key: 'b', title: <span aria-current="page">{b.name}</span> },
          ]}
        />
      </nav>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="business-title" style={{ margin: 0, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
          <Tag color={kindColors[b.kind]} style={{ fontSize: 14, marginInlineEnd: 0 }}>{kindLabels[b.kind]}</Tag>
          <span>{b.name}</span>
        </PageTitle>
        {canUpdate && <Button onClick={() => setEditOpen(true)}>编辑{kindLabels[b.kind]}信息</Button>}
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <section aria-label="基本信息">
          <Descriptions
            className="lx-desc-center"
            size="small"
            column={{ xs: 1, sm: 2, md: 3 }}
            items={[
              { key: 'address', label: '地址', children: b.address },
              { key: 'org', label: '村（社区）', children: b.orgName },
              { key: 'grid', label: '网格', children: b.gridName ?? '未划分' },
              ...(b.kind === 'team'
                ? [{
                    key: 'parent',
                    label: '所属企业',
                    children: b.parentId ? <Link to={`/businesses/${encodeURIComponent(b.parentId)}`} className="lx-tap">{b.parentName}</Link> : none,
                  }]
                : [{ key: 'credit', label: '统一社会信用代码', children: b.creditCode ? <span style={{ fontVariantNumeric: 'tabular-nums' }}>{b.creditCode}</span> : none }]),
              { key: 'contact', label: '联系人', children: b.contactName ?? none },
              {
                key: 'phone',
                label: '联系电话',
                children: b.contactPhoneMasked ? (
                  <span style={{ display: 'inline-flex', alignItems: 'center', flexWrap: 'wrap', gap: 4 }}>
                    <span style={{ fontVariantNumeric: 'tabular-nums' }} data-field="contactPhone">{b.contactPhoneMasked}</span>
                    {canReveal && (
                      <Button type="link" style={{ padding: '0 8px' }} onClick={() => setRevealing(true)} aria-label={`查看 ${b.name}的完整联系电话`}>
                        查看
                      </Button>
                    )}
                  </span>
                ) : none,
              },
              { key: 'employees', label: '从业人数', children: b.employees == null ? none : `${b.employees} 人` },
            ]}
          />
        </section>
      </Card>
      {/* Enterprises and shops are visited (MISSION §2); a team (队) is an organisation of people, not a visit target. */}
      {b.kind !== 'team' && (
        <VisitHistory subject={{ businessId: b.id }} canRecord={me.abilities.includes('visits.record') || me.abilities.includes('visits.proxy')} />
      )}
      {b.abilities.readLinks && <ConstituentLinks constituent={{ businessId: b.id }} orgCode={b.orgCode} canUpdate={canUpdate} />}
      {canUpdate && <BusinessEditDrawer business={b} open={editOpen} onClose={() => setEditOpen(false)} />}
      <BusinessRevealModal target={revealing ? { id: b.id, name: b.name } : null} onClose={() => setRevealing(false)} />
    </article>
  );
}
