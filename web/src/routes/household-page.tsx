import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, Grid, Skeleton, Table, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams, useRouteLoaderData } from 'react-router';
import type { Me, Resident } from '@lianxin/contracts';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { ConstituentLinks } from '../features/coverage/constituent-links.tsx';
import { HouseholdEditDrawer } from '../features/households/household-edit-drawer.tsx';
import { awayScopeLabels, sexLabels } from '../features/households/household-labels.ts';
import { householdQuery } from '../features/households/household-queries.ts';
import { HouseholdTags } from '../features/households/household-tags.tsx';
import { LeaveModal } from '../features/households/leave-modal.tsx';
import { RemoveHouseholdModal } from '../features/households/remove-household-modal.tsx';
import { ResidentDrawer } from '../features/households/resident-drawer.tsx';
import { RevealModal, type RevealTarget } from '../features/households/reveal-modal.tsx';
import { AccessHistory } from '../features/audit/access-history.tsx';
import { ContactCardButton } from '../features/print/contact-card-button.tsx';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { VisitHistory } from '../features/visits/visit-history.tsx';

function awayText(r: Resident): string {
  if (!r.awayScope) return '在家';
  return `在外（${awayScopeLabels[r.awayScope]}${r.awayPlace ? `：${r.awayPlace}` : ''}）`;
}

export function HouseholdPage() {
  const { id = '' } = useParams();
  const me = useRouteLoaderData('shell') as Me;
  const wide = Grid.useBreakpoint().md === true;
  const household = useQuery(householdQuery(id));
  const [editOpen, setEditOpen] = useState(false);
  const [residentDrawer, setResidentDrawer] = useState<{ resident: Resident | null } | null>(null);
  const [leaving, setLeaving] = useState<Resident | null>(null);
  const [reveal, setReveal] = useState<RevealTarget | null>(null);
  const [removing, setRemoving] = useState(false);
  const navigate = useNavigate();

  if (household.isPending) return <Skeleton active />;
  if (household.isError) {
    return <UnavailableResult error={household.error} title="未找到或无权查看" text="该住户不存在，或不在您的查看范围内。" />;
  }

  const h = household.data;
  const { update: canUpdate, reveal: canReveal, revealPhone: canRevealPhone } = h.abilities;
  const awayCount = h.residents.filter((r) => r.awayScope).length;

  const masked = (r: Resident, field: 'idNumber' | 'phone') => {
    const value = field === 'idNumber' ? r.idNumberMasked : r.phoneMasked;
    if (!value) return <Typography.Text type="secondary">未登记</Typography.Text>;
    const label = field === 'idNumber' ? '身份证号' : '电话';
    return (
      <span style={{ display: 'inline-flex', alignItems: 'center', flexWrap: 'wrap', gap: 4 }}>
        <span style={{ fontVariantNumeric: 'tabular-nums' }} data-field={field}>{value}</span>
        {(field === 'phone' ? canRevealPhone : canReveal) && (
          <Button type="link" style={{ padding: '0 8px' }} onClick={() => setReveal({ resident: r, field })} aria-label={`查看 ${r.name}的完整${label}`}>
            查看
          </Button>
        )}
      </span>
    );
  };

  const actions = (r: Resident) =>
    canUpdate ? (
      <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
        <Button onClick={() => setResidentDrawer({ resident: r })} aria-label={`编辑 ${r.name}`}>编辑</Button>
        <Button danger onClick={() => setLeaving(r)} aria-label={`迁出/死亡 ${r.name}`}>迁出/死亡</Button>
      </span>
    ) : null;

  return (
    <article aria-labelledby="household-title">
      {h.synthetic && !me.demo && (
        <Alert type="warning" showIcon title="演示数据" description="该住户为演示数据，并非真实人员信息。" style={{ marginBottom: 12 }} />
      )}
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            { key: 'org', title: <Link to={`/orgs/${encodeURIComponent(h.orgCode)}`}>{h.orgName}</Link> },
            { key: 'list', title: <Link to={`/orgs/${encodeURIComponent(h.orgCode)}/households`}>户籍</Link> },
            { key: 'h', title: <span aria-current="page">{h.headName}户</span> },
          ]}
        />
      </nav>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="household-title" style={{ margin: 0 }}>{h.headName}户</PageTitle>
        {canUpdate && (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <Button onClick={() => setEditOpen(true)}>编辑住户信息</Button>
            <ContactCardButton orgCode={h.orgCode} households={[h.id]} label="打印联系卡" fileName={`${h.headName}户联系卡.pdf`} />
            <Button danger onClick={() => setRemoving(true)}>注销住户</Button>
          </div>
        )}
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            { key: 'address', label: '住址', children: h.address },
            { key: 'org', label: '村（社区）', children: h.orgName },
            { key: 'grid', label: '网格', children: h.gridName ?? '未划分' },
            { key: 'count', label: '人数', children: `${h.residents.length} 人` },
            { key: 'away', label: '在外', children: h.away || awayCount > 0 ? <Tag color="purple" style={{ fontSize: 14 }}>{awayCount > 0 ? `${awayCount} 人在外` : '有人在外'}</Tag> : '无' },
            { key: 'tags', label: '标签', children: h.tags.length ? <HouseholdTags tags={h.tags} /> : '无' },
          ]}
        />
      </Card>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
        <SectionTitle style={{ margin: 0 }}>家庭成员</SectionTitle>
        {canUpdate && <Button type="primary" onClick={() => setResidentDrawer({ resident: null })}>添加成员</Button>}
      </div>
      <section aria-label="家庭成员">
        {h.residents.length === 0 ? (
          <Empty description="没有登记在册的成员" />
        ) : wide ? (
          <Table<Resident>
            rowKey="id"
            pagination={false}
            dataSource={h.residents}
            scroll={{ x: 'max-content' }}
            columns={[
              { key: 'name', title: '姓名', render: (_, r) => <strong>{r.name}</strong> },
              { key: 'relation', title: '关系', dataIndex: 'relation' },
              { key: 'sex', title: '性别', render: (_, r) => sexLabels[r.sex] },
              { key: 'age', title: '年龄', render: (_, r) => `${r.age} 岁（${r.birthDate}）` },
              { key: 'id', title: '身份证号', render: (_, r) => masked(r, 'idNumber') },
              { key: 'phone', title: '联系电话', render: (_, r) => masked(r, 'phone') },
              { key: 'away', title: '在外', render: (_, r) => awayText(r) },
              ...(canUpdate ? [{ key: 'actions', title: '操作', render: (_: unknown, r: Resident) => actions(r) }] : []),
            ]}
          />
        ) : (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            {h.residents.map((r) => (
              <Card key={r.id} size="small" role="group" aria-label={r.name} title={<span style={{ fontSize: 17 }}>{r.name} <Typography.Text type="secondary">· {r.relation}</Typography.Text></span>}>
                <Descriptions
                  className="lx-desc-center"
                  size="small"
                  column={1}
                  items={[
                    { key: 'basic', label: '性别/年龄', children: `${sexLabels[r.sex]} · ${r.age} 岁（${r.birthDate}）` },
                    { key: 'id', label: '身份证号', children: masked(r, 'idNumber') },
                    { key: 'phone', label: '电话', children: masked(r, 'phone') },
                    { key: 'away', label: '在外', children: awayText(r) },
                  ]}
                />
                {canUpdate && <div style={{ marginTop: 8 }}>{actions(r)}</div>}
              </Card>
            ))}
          </div>
        )}
      </section>
      <VisitHistory
        subject={{ householdId: h.id }}
        residents={h.residents}
        canRecord={me.abilities.includes('visits.record') || me.abilities.includes('visits.proxy')}
      />
      {/* A linked member reads the household, not its link history (the server answers 404 there): no section for them. */}
      {h.abilities.readLinks && <ConstituentLinks constituent={{ householdId: h.id }} orgCode={h.orgCode} canUpdate={canUpdate} />}
      {/* Registry readers of the village (the server's rule for GET /audit/households/:id): a linked member sees no section. */}
      {h.abilities.readLinks && <AccessHistory householdId={h.id} canReview={me.abilities.includes('audit.read')} />}
      {canUpdate && <HouseholdEditDrawer household={h} open={editOpen} onClose={() => setEditOpen(false)} />}
      {canUpdate && residentDrawer && (
        <ResidentDrawer householdId={h.id} resident={residentDrawer.resident} open onClose={() => setResidentDrawer(null)} />
      )}
      <LeaveModal resident={leaving} onClose={() => setLeaving(null)} />
      {canUpdate && (
        <RemoveHouseholdModal
          household={h}
          open={removing}
          onClose={() => setRemoving(false)}
          onRemoved={() => navigate(`/orgs/${encodeURIComponent(h.orgCode)}/households`, { replace: true, state: { removed: `${h.headName}户` } })}
        />
      )}
      <RevealModal target={reveal} onClose={() => setReveal(null)} />
    </article>
  );
}
