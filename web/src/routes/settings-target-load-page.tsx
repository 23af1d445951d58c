import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TargetLoadOrg } from '@lianxin/contracts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { SettingsBreadcrumb } from '../features/settings/settings-breadcrumb.tsx';
import { targetLoadQuery } from '../features/settings/settings-queries.ts';
import { TargetLoadModal } from '../features/settings/target-load-modal.tsx';

/** Where a value comes from, in words a secretary reads: its own setting, or the org it is inherited from. */
function sourceText(o: TargetLoadOrg): string {
  return o.source.code === o.code ? '本级设置' : `沿用${o.source.name}（${orgLevelLabels[o.source.level]}）`;
}

function Row({ o, onEdit, drill }: { o: TargetLoadOrg; onEdit: (o: TargetLoadOrg) => void; drill: boolean }) {
  return (
    <List.Item
      style={{ padding: '8px 12px', flexWrap: 'wrap', gap: 8 }}
      actions={o.editable ? [<Button key="edit" size="small" onClick={() => onEdit(o)} aria-label={`设置${o.name}的目标联户数`}>设置</Button>] : []}
    >
      <div style={{ minWidth: 0, flex: 1 }} data-testid={`target-${o.code}`}>
        <div style={{ fontSize: 16 }}>
          {drill ? <Link className="lx-tap" to={`?org=${encodeURIComponent(o.code)}`}>{o.name}</Link> : o.name}
        </div>
        <Typography.Text>{o.min}–{o.max} 户</Typography.Text>{' '}
        <Tag color={o.source.code === o.code ? 'blue' : undefined}>{sourceText(o)}</Tag>
      </div>
    </List.Item>
  );
}

/** 目标联户数: the org's value and where it comes from, its towns or villages, and every override under it. */
export function SettingsTargetLoadPage() {
  const [params] = useSearchParams();
  const code = params.get('org');
  const q = useQuery(targetLoadQuery(code));
  const [editing, setEditing] = useState<TargetLoadOrg | null>(null);

  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="该组织不存在，或不在您可以设置的范围内。" />;
  const { org, ancestors, children, overrides } = q.data;
  const trail = [
    { label: '目标联户数', to: '/settings/target-load' },
    ...ancestors.map((a) => ({ label: a.name, to: `?org=${encodeURIComponent(a.code)}` })),
    ...(ancestors.length || code ? [{ label: org.name }] : []),
  ];

  return (
    <article aria-labelledby="target-load-title">
      <SettingsBreadcrumb trail={trail} />
      <PageTitle id="target-load-title" style={{ marginTop: 8 }}>目标联户数</PageTitle>
      <Typography.Paragraph type="secondary">
        每名党员应联系的住户数。村（社区）的单独设置优先，其次是镇（街道）的，最后是示范区的。修改后联户覆盖情况立即重新计算。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          <div data-testid="target-current">
            <Typography.Text strong style={{ fontSize: 16 }}>{org.name}</Typography.Text>{' '}
            <Typography.Text>{org.min}–{org.max} 户</Typography.Text>{' '}
            <Tag color={org.source.code === org.code ? 'blue' : undefined}>{sourceText(org)}</Tag>
          </div>
          {org.editable && <Button type="primary" onClick={() => setEditing(org)}>设置本级</Button>}
        </div>
      </Card>
      {children.length > 0 && (
        <section aria-labelledby="target-children">
          <SectionTitle id="target-children">{org.level === 'zone' ? '各镇（街道）' : '各村（社区）'}</SectionTitle>
          <List bordered style={{ background: '#fff', marginBottom: 16 }} dataSource={children}
            renderItem={(c) => <Row key={c.code} o={c} onEdit={setEditing} drill={c.level === 'town'} />} />
        </section>
      )}
      <section aria-labelledby="target-overrides">
        <SectionTitle id="target-overrides">单独设置的组织</SectionTitle>
        <List bordered style={{ background: '#fff' }} dataSource={overrides} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有单独设置，全部沿用上级" /> }}
          renderItem={(c) => <Row key={c.code} o={c} onEdit={setEditing} drill={c.level === 'town' && c.code !== org.code} />} />
      </section>
      <TargetLoadModal org={editing} onClose={() => setEditing(null)} />
    </article>
  );
}
