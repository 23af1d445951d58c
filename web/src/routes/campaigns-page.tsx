import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Campaign } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useFilterParams } from '../app/use-filter-params.ts';
import { CampaignCreateModal } from '../features/campaigns/campaign-create-modal.tsx';
import { CampaignFigureBars } from '../features/campaigns/campaign-figures.tsx';
import { campaignStatusLabels, filterText, windowText } from '../features/campaigns/campaign-labels.ts';
import { campaignListQuery } from '../features/campaigns/campaign-queries.ts';

type StatusFilter = 'open' | 'closed' | 'all';
const statusOptions: { value: StatusFilter; label: string }[] = [
  { value: 'open', label: '进行中' },
  { value: 'closed', label: '已结束' },
  { value: 'all', label: '全部' },
];

function CampaignCard({ c }: { c: Campaign }) {
  return (
    <Card size="small" data-testid={`campaign-${c.id}`}>
      <Link to={`/campaigns/${c.id}`} className="lx-block-link" style={{ justifyContent: 'space-between', gap: 8 }}>
        <span style={{ fontSize: 17, fontWeight: 600 }}>{c.name}</span>
        <span><Tag color={c.status === 'open' ? 'green' : undefined}>{campaignStatusLabels[c.status]}</Tag><span aria-hidden>›</span></span>
      </Link>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {c.org.name} · {windowText(c)}<br />{filterText(c.filter)}
      </Typography.Paragraph>
      <CampaignFigureBars f={c.figures} label={c.name} compact />
    </Card>
  );
}

/** 集中走访: the campaigns the caller can see, open ones first by default; 新建 for office and town accounts. */
export function CampaignsPage() {
  const [params, setFilter] = useFilterParams<'status'>();
  const status = (statusOptions.find((o) => o.value === params.get('status'))?.value ?? 'open');
  const q = useQuery(campaignListQuery(status));
  const [creating, setCreating] = useState(false);

  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="当前账号不能查看集中走访。" />;
  return (
    <article aria-labelledby="campaigns-title">
      <Flex justify="space-between" align="center" gap={8} wrap>
        <PageTitle id="campaigns-title">集中走访</PageTitle>
        {q.data?.abilities.create && <Button type="primary" onClick={() => setCreating(true)}>新建集中走访</Button>}
      </Flex>
      <Typography.Paragraph type="secondary">
        在一段时间内把范围内的住户和企业商户全部走访一遍，在外人员通过电话、微信、视频联系到本人才算数。
      </Typography.Paragraph>
      <Segmented<StatusFilter> value={status} options={statusOptions} onChange={(v) => setFilter('status', v === 'open' ? undefined : v)} style={{ marginBottom: 12 }} aria-label="活动状态" />
      {q.isPending ? <Skeleton active /> : q.data.data.length === 0 ? (
        <Empty description={status === 'open' ? '目前没有进行中的集中走访' : '没有集中走访'} />
      ) : (
        <Flex vertical gap={12}>
          {q.data.data.map((c) => <CampaignCard key={c.id} c={c} />)}
        </Flex>
      )}
      <CampaignCreateModal open={creating} onClose={() => setCreating(false)} />
    </article>
  );
}
