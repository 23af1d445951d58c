import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { VisitRule } from '@lianxin/contracts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { fetchAllChildren } from '../features/orgs/org-queries.ts';
import { SettingsBreadcrumb } from '../features/settings/settings-breadcrumb.tsx';
import { channelsText, ruleKindLabels, ruleText, sourceText } from '../features/visit-rules/rule-labels.ts';
import { RuleModal, type RuleEditing } from '../features/visit-rules/rule-modal.tsx';
import { deleteVisitRule, visitRulesQuery } from '../features/visit-rules/rule-queries.ts';

function RuleRow({ r, editable, onEdit, onRevert }: { r: VisitRule; editable: boolean; onEdit: () => void; onRevert: () => Promise<void> }) {
  const name = `${ruleKindLabels[r.kind]}（${r.tagName}）`;
  // The zone's own rules are the defaults: there is nothing above them to inherit.
  const revertible = editable && !r.inherited && r.source.level !== 'zone';
  return (
    <List.Item
      style={{ padding: '8px 12px', flexWrap: 'wrap', gap: 8 }}
      actions={editable ? [
        <Button key="edit" size="small" onClick={onEdit} aria-label={`修改${name}的走访规则`}>修改</Button>,
        ...(revertible ? [
          <Popconfirm key="revert" title="恢复沿用上级的规则？" okText="恢复" cancelText="取消" onConfirm={onRevert}>
            <Button size="small" aria-label={`${name}恢复沿用上级`}>恢复沿用上级</Button>
          </Popconfirm>,
        ] : []),
      ] : []}
    >
      <div style={{ minWidth: 0, flex: 1 }} data-testid={`rule-${r.kind}-${r.tag || 'all'}`}>
        <div style={{ fontSize: 16, fontWeight: 500 }}>{name}</div>
        <Typography.Text>{ruleText(r)} · {channelsText(r.channels)}</Typography.Text>{' '}
        <Tag color={r.inherited ? undefined : 'blue'}>{sourceText(r)}</Tag>
      </div>
    </List.Item>
  );
}

/**
 * 走访规则 of an org: the rules in force and where each comes from (本级设置 or 沿用 an org above); an editor sets the
 * org's own rule or reverts to the inherited one. Towns and villages below are one tap away.
 */
export function VisitRulesPage() {
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const code = params.get('org');
  const q = useQuery(visitRulesQuery(code));
  const orgCode = q.data?.org.code;
  const level = q.data?.org.level;
  const children = useQuery({
    queryKey: ['org-all-children', orgCode],
    queryFn: () => fetchAllChildren(orgCode!),
    // Rules are set for the zone, towns and villages: below a village there is nothing to drill into.
    enabled: !!orgCode && (level === 'zone' || level === 'town'),
  });
  const [editing, setEditing] = useState<RuleEditing | null>(null);

  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="该组织不存在，或不在您的范围内。" />;
  const { org, ancestors, rules, editable } = q.data;
  const trail = [
    { label: '走访规则', to: '/settings/visit-rules' },
    ...ancestors.map((a) => ({ label: a.name, to: `?org=${encodeURIComponent(a.code)}` })),
    ...(ancestors.length || code ? [{ label: org.name }] : []),
  ];
  const revert = async (r: VisitRule) => {
    try {
      await deleteVisitRule(r.id);
      message.success('已恢复沿用上级的规则');
    } catch (e) {
      message.error(e instanceof Error ? e.message : '操作失败');
    }
  };
  const childOrgs = (children.data ?? []).filter((c) => c.level === 'town' || c.level === 'village');

  return (
    <article aria-labelledby="visit-rules-title">
      <SettingsBreadcrumb trail={trail} />
      <PageTitle id="visit-rules-title" style={{ marginTop: 8 }}>走访规则</PageTitle>
      <Typography.Paragraph type="secondary">
        规定每类走访对象多久至少走访几次。村（社区）的单独设置优先，其次是镇（街道）的，最后是示范区的；按标签的规则优先于“全部住户”。完成率按实际走访记录自动计算，不需填报。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="rules-org">{org.name}（{orgLevelLabels[org.level]}）</Typography.Text>
          {editable && <Button type="primary" onClick={() => setEditing({ org, rule: null })}>新增规则</Button>}
        </div>
      </Card>
      <section aria-labelledby="rules-in-force">
        <SectionTitle id="rules-in-force">现行规则</SectionTitle>
        <List
          bordered
          style={{ background: '#fff', marginBottom: 16 }}
          dataSource={rules}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有走访规则" /> }}
          renderItem={(r) => (
            <RuleRow key={`${r.kind}-${r.tag}`} r={r} editable={editable} onEdit={() => setEditing({ org, rule: r })} onRevert={() => revert(r)} />
          )}
        />
      </section>
      {childOrgs.length > 0 && (
        <section aria-labelledby="rules-children">
          <SectionTitle id="rules-children">{org.level === 'zone' ? '各镇（街道）的规则' : '各村（社区）的规则'}</SectionTitle>
          <List
            bordered
            style={{ background: '#fff' }}
            dataSource={childOrgs}
            renderItem={(c) => (
              <List.Item key={c.code} style={{ padding: '0 12px' }}>
                <Link className="lx-block-link" to={`?org=${encodeURIComponent(c.code)}`} style={{ justifyContent: 'space-between' }}>
                  <span style={{ fontSize: 16 }}>{c.name}</span><span aria-hidden>›</span>
                </Link>
              </List.Item>
            )}
          />
        </section>
      )}
      <RuleModal editing={editing} onClose={() => setEditing(null)} />
    </article>
  );
}
