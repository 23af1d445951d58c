import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Flex, List, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { CampaignProgressRow } from '@lianxin/contracts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { shanghaiTime } from '../features/coverage/coverage-labels.ts';
import { CampaignFigureBars, ComparisonText } from '../features/campaigns/campaign-figures.tsx';
import { campaignStatusLabels, filterText, windowText } from '../features/campaigns/campaign-labels.ts';
import { campaignProgressQuery, campaignQuery, closeCampaign } from '../features/campaigns/campaign-queries.ts';
import { PendingList } from '../features/campaigns/pending-list.tsx';

/** Least done first: the rows that need a push. */
const byPercent = (a: CampaignProgressRow, b: CampaignProgressRow) => (a.figures.percent ?? 101) - (b.figures.percent ?? 101);
const pendingOf = (r: CampaignProgressRow) => r.figures.total - r.figures.visited + r.figures.awayTotal - r.figures.awayReached;

function ProgressRow({ r, to }: { r: CampaignProgressRow; to: string }) {
  const name = r.org?.name ?? r.person?.name ?? '未联户的对象';
  return (
    <Link to={to} className="lx-row-link" data-testid={`progress-${r.org?.code ?? r.person?.id ?? 'unlinked'}`}>
      <Flex justify="space-between" gap={8} wrap>
        <span style={{ fontSize: 16, fontWeight: 500 }}>{name}</span>
        <Typography.Text type="secondary">{pendingOf(r) > 0 ? `未走访 ${pendingOf(r)}` : '全部完成'} ›</Typography.Text>
      </Flex>
      <CampaignFigureBars f={r.figures} label={name} compact />
      <ComparisonText previous={r.previous} change={r.change} />
    </Link>
  );
}

/**
 * One campaign: what it covers, its two figures at the level shown, the rows below (towns → villages → members) each a
 * tap deeper, and at a village or a member the list of constituents not yet visited, to export or print. Compared
 * with the previous campaign of the same scope at every level.
 */
export function CampaignPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const org = params.get('org');
  const person = params.get('person');
  const { message } = App.useApp();
  const c = useQuery(campaignQuery(id));
  const p = useQuery(campaignProgressQuery(id, org));
  const [showPending, setShowPending] = useState(false);

  if (c.isPending) return <Skeleton active />;
  if (c.isError) return <UnavailableResult error={c.error} title="未找到或无权查看" text="该集中走访不存在，或不在您的查看范围内。" />;
  const campaign = c.data;
  const progress = p.data;
  const link = (o: string | null, who: string | null = null) => {
    const s = new URLSearchParams();
    if (o) s.set('org', o);
    if (who) s.set('person', who);
    const t = s.toString();
    return t ? `?${t}` : `/campaigns/${id}`;
  };
  const member = person ? progress?.rows.find((r) => r.person?.id === person)?.person ?? null : null;
  const close = async () => {
    try {
      await closeCampaign(id);
      message.success('已结束该集中走访');
    } catch (e) {
      message.error(e instanceof Error ? e.message : '操作失败');
    }
  };
  const atVillage = progress?.rowsAre === 'members';

  return (
    <article aria-labelledby="campaign-title">
      <nav aria-label="位置" className="lx-no-print">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            { key: 'all', title: <Link to="/campaigns">集中走访</Link> },
            { key: 'c', title: org || person ? <Link to={`/campaigns/${id}`}>{campaign.name}</Link> : <span aria-current="page">{campaign.name}</span> },
            ...(progress && (org || person) ? [
              ...progress.trail.filter((t) => t.code !== campaign.org.code).map((t) => ({ key: t.code, title: <Link to={link(t.code)}>{t.name}</Link> })),
              ...(progress.org.code !== campaign.org.code
                ? [{ key: progress.org.code, title: person ? <Link to={link(progress.org.code)}>{progress.org.name}</Link> : <span aria-current="page">{progress.org.name}</span> }]
                : []),
              ...(person ? [{ key: 'p', title: <span aria-current="page">{member?.name ?? '党员'}</span> }] : []),
            ] : []),
          ]}
        />
      </nav>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <PageTitle id="campaign-title" style={{ margin: '8px 0' }}>
          {campaign.name} <Tag color={campaign.status === 'open' ? 'green' : undefined} style={{ verticalAlign: 'middle' }}>{campaignStatusLabels[campaign.status]}</Tag>
        </PageTitle>
        {campaign.abilities.manage && campaign.status === 'open' && (
          <Popconfirm title="结束后不再统计新的走访，确定结束？" okText="结束" cancelText="取消" onConfirm={close}>
            <Button className="lx-no-print">结束活动</Button>
          </Popconfirm>
        )}
      </Flex>
      <Descriptions size="small" column={1} className="lx-no-print" style={{ marginBottom: 12 }} items={[
        { key: 'scope', label: '范围', children: campaign.org.name },
        { key: 'window', label: '时间', children: windowText(campaign) },
        { key: 'who', label: '对象', children: filterText(campaign.filter) },
      ]} />

      {p.isPending ? <Skeleton active /> : p.isError ? (
        <UnavailableResult error={p.error} title="未找到或无权查看" text="该组织不在这次集中走访或您的查看范围内。" />
      ) : (
        <>
          <section aria-labelledby="progress-title" className="lx-no-print">
            <SectionTitle id="progress-title">{member ? `${member.name}的走访进度` : `${progress!.org.name}的走访进度`}</SectionTitle>
            <Card size="small" style={{ marginBottom: 8 }} data-testid="progress-totals">
              {member ? (
                <CampaignFigureBars f={progress!.rows.find((r) => r.person?.id === person)!.figures} label={member.name} />
              ) : (
                <>
                  <CampaignFigureBars f={progress!.totals} label={progress!.org.name} />
                  {progress!.previous ? (
                    <ComparisonText previous={progress!.previousTotals} change={progress!.change} name={progress!.previous.name} />
                  ) : (
                    <Typography.Text type="secondary">同一范围没有上一次集中走访可比较</Typography.Text>
                  )}
                </>
              )}
            </Card>
            <Typography.Paragraph type="secondary" data-testid="progress-as-of">数据截至 {shanghaiTime(progress!.asOf)}（北京时间）</Typography.Paragraph>
          </section>

          {!person && (
            <section aria-labelledby="progress-rows" className="lx-no-print">
              <SectionTitle id="progress-rows">{atVillage ? '各联户党员（按创建时的联户关系）' : `各${progress!.rows[0]?.org?.level === 'town' ? '镇（街道）' : '村（社区）'}`}</SectionTitle>
              <List
                bordered
                style={{ background: '#fff', marginBottom: 16 }}
                dataSource={[...progress!.rows].sort(byPercent)}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有下级数据" /> }}
                renderItem={(r) => (
                  <List.Item key={r.org?.code ?? r.person?.id ?? 'unlinked'} style={{ padding: '4px 12px', display: 'block' }}>
                    <ProgressRow r={r} to={r.org ? link(r.org.code) : r.person ? link(progress!.org.code, r.person.id) : '#pending-title'} />
                  </List.Item>
                )}
              />
            </section>
          )}

          {atVillage || person || showPending ? (
            <PendingList
              campaignId={id}
              campaignName={campaign.name}
              filter={{ org: progress!.org.code, person }}
              title={member ? `${member.name}名下未走访的对象` : `${progress!.org.name}未走访的对象`}
            />
          ) : (
            <Button className="lx-no-print" onClick={() => setShowPending(true)}>查看{progress!.org.name}全部未走访的对象</Button>
          )}
        </>
      )}
    </article>
  );
}
