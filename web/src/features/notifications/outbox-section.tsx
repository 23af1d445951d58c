import { useQuery } from '@tanstack/react-query';
import type { OutboxMessage } from '@lianxin/contracts';
import { Alert, Descriptions, Empty, Skeleton, Table } from 'antd';
import { SectionTitle } from '../../app/page-title.tsx';
import { shanghaiTime } from '../coverage/coverage-labels.ts';
import { outboxChannelLabels, outboxQuery, outboxStatusLabels } from './notifications-queries.ts';

const RED = '#c8161d';

/** 外发消息 on 系统维护: whether a channel is configured, how many messages are in each state, the latest ones. */
export function OutboxSection({ wide }: { wide: boolean }) {
  const q = useQuery(outboxQuery);
  return (
    <section aria-labelledby="outbox-title" style={{ marginTop: 24 }}>
      <SectionTitle id="outbox-title">外发消息（短信、企业微信）</SectionTitle>
      {q.isPending ? <Skeleton active /> : q.isError ? (
        <Alert type="error" showIcon title="外发消息加载失败" description={q.error.message} />
      ) : (
        <>
          {q.data.configuredChannels.length === 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title="未配置发送渠道：提醒只在系统内显示，不会发出短信或企业微信消息。"
              description="每条提醒仍记入外发消息，状态为“未发送”，原因“未配置发送渠道”。"
            />
          ) : (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`发送渠道：${q.data.configuredChannels.map((c) => outboxChannelLabels[c]).join('、')}`} />
          )}
          <Descriptions size="small" bordered column={wide ? 4 : 2} style={{ marginBottom: 12 }} items={
            (['pending', 'sent', 'failed', 'not_sent'] as const).map((s) => ({ key: s, label: outboxStatusLabels[s], children: q.data.counts[s].toLocaleString('zh-CN') }))
          } />
          <Table<OutboxMessage>
            rowKey="id"
            size="small"
            pagination={false}
            scroll={wide ? { x: 640 } : undefined}
            dataSource={q.data.recent}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有外发消息" /> }}
            columns={[
              { title: '时间', key: 'createdAt', render: (_, m) => shanghaiTime(m.createdAt) },
              { title: '渠道', key: 'channel', render: (_, m) => outboxChannelLabels[m.channel] },
              { title: '状态', key: 'status', render: (_, m) => <span style={{ color: m.status === 'failed' ? RED : undefined }}>{outboxStatusLabels[m.status]}</span> },
              { title: '原因', key: 'reason', render: (_, m) => m.reason ?? '—' },
              { title: '尝试次数', dataIndex: 'attempts', key: 'attempts' },
            ]}
          />
        </>
      )}
    </section>
  );
}
