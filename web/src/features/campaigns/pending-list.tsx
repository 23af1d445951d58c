import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Skeleton, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { CampaignPendingItem } from '@lianxin/contracts';
import { SectionTitle } from '../../app/page-title.tsx';
import { campaignTargetKindLabels } from './campaign-labels.ts';
import { campaignPendingQuery, pendingExportHref, type PendingFilter } from './campaign-queries.ts';
import './campaign-print.css';

const targetLink = (i: CampaignPendingItem) =>
  i.kind === 'household' ? `/households/${i.id}` : i.kind === 'away_resident' ? (i.householdId ? `/households/${i.householdId}` : null) : `/businesses/${i.id}`;

/**
 * 未走访名单: the targets not yet visited and the away residents not yet reached, for an org or one member. The
 * secretary exports it (Excel, from the server) or prints it: 打印 loads every page first, then the print CSS puts only
 * this list on paper with its title.
 */
export function PendingList({ campaignId, campaignName, filter, title }: { campaignId: string; campaignName: string; filter: PendingFilter; title: string }) {
  const q = useInfiniteQuery(campaignPendingQuery(campaignId, filter));
  const [printing, setPrinting] = useState(false);
  // Set once every page is in: the effect prints after that render, so the paper has the whole list.
  const [printAt, setPrintAt] = useState(0);
  useEffect(() => {
    if (printAt) window.print();
  }, [printAt]);

  const printAll = async () => {
    setPrinting(true);
    try {
      let more = q.hasNextPage;
      while (more) more = (await q.fetchNextPage({ throwOnError: true })).hasNextPage;
      setPrintAt(Date.now());
    } finally {
      setPrinting(false);
    }
  };

  const items = q.data?.pages.flatMap((p) => p.data) ?? [];
  const total = q.data?.pages[0]?.total ?? 0;
  return (
    <section aria-labelledby="pending-title" className="lx-print-area">
      <div className="lx-print-only"><Typography.Title level={3} style={{ marginTop: 0 }}>{campaignName}</Typography.Title></div>
      <SectionTitle id="pending-title">{title}（共 {total} 个）</SectionTitle>
      <Flex gap={16} wrap className="lx-no-print" style={{ marginBottom: 8 }}>
        <a href={pendingExportHref(campaignId, filter)} download className="lx-tap">导出未走访名单（Excel）</a>
        <Button onClick={() => void printAll().catch(() => undefined)} loading={printing} disabled={total === 0}>打印未走访名单</Button>
      </Flex>
      {q.isPending ? <Skeleton active /> : q.isError ? (
        <Alert role="alert" type="error" showIcon title={q.error.message} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="全部已走访，在外人员全部已联系" />
      ) : (
        <>
          <Table<CampaignPendingItem>
            rowKey={(i) => `${i.kind}-${i.id}`}
            size="small"
            pagination={false}
            dataSource={items}
            scroll={{ x: 'max-content' }}
            columns={[
              { key: 'n', title: '序号', width: 56, render: (_v, _i, n) => n + 1 },
              {
                key: 'name', title: '名称', render: (_v, i) => {
                  const to = targetLink(i);
                  return to ? <Link to={to} className="lx-tap">{i.name}</Link> : i.name;
                },
              },
              { key: 'kind', title: '类别', render: (_v, i) => campaignTargetKindLabels[i.kind] },
              { key: 'where', title: '地址 / 在外地点', render: (_v, i) => (i.kind === 'away_resident' ? i.awayPlace ?? '在外' : i.address) },
              { key: 'village', title: '村（社区）', render: (_v, i) => i.village.name },
              { key: 'person', title: '联户党员', render: (_v, i) => i.person?.name ?? '未联户' },
            ]}
          />
          {q.hasNextPage && (
            <Button block className="lx-no-print" style={{ marginTop: 8 }} loading={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
              加载更多（已显示 {items.length} / {total}）
            </Button>
          )}
        </>
      )}
    </section>
  );
}
