import { useQuery } from '@tanstack/react-query';
import type { NotificationItem } from '@lianxin/contracts';
import { Alert, Button, Drawer, Empty, Grid, List, Skeleton, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useSubmit } from '../../app/use-submit.ts';
import { shanghaiTime } from '../coverage/coverage-labels.ts';
import { markAllRead, markRead, notificationsQuery } from './notifications-queries.ts';

/** The list of 提醒, newest first: tapping one marks it read and opens what it is about. */
export function NotificationDrawer({ onClose }: { onClose: () => void }) {
  const list = useQuery(notificationsQuery);
  const navigate = useNavigate();
  const submit = useSubmit('操作失败，请稍后再试');
  const wide = Grid.useBreakpoint().md === true;
  const unread = list.data?.unread ?? 0;

  const open = (n: NotificationItem) => submit.run(async () => {
    if (!n.readAt) await markRead(n.id);
    if (n.link) {
      onClose();
      navigate(n.link);
    }
  });

  return (
    <Drawer
      open
      onClose={onClose}
      title={unread ? `提醒（${unread} 条未读）` : '提醒'}
      placement="right"
      size={wide ? 420 : '100%'}
      extra={unread > 0 && <Button onClick={() => void submit.run(markAllRead)} loading={submit.busy}>全部已读</Button>}
    >
      {submit.error && <Alert type="error" showIcon title={submit.error} style={{ marginBottom: 12 }} />}
      {list.isPending ? <Skeleton active /> : list.isError ? (
        <Alert type="error" showIcon title="提醒加载失败" description={list.error.message} />
      ) : (
        <List<NotificationItem>
          aria-label="提醒列表"
          dataSource={list.data.data}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有提醒" /> }}
          renderItem={(n) => (
            <List.Item key={n.id} style={{ padding: 0 }}>
              <button
                type="button"
                onClick={() => void open(n)}
                aria-label={`${n.readAt ? '' : '未读：'}${n.title}`}
                style={{
                  all: 'unset', boxSizing: 'border-box', cursor: 'pointer', width: '100%', padding: '12px 8px', minHeight: 48,
                  background: n.readAt ? undefined : '#fff7e6', borderRadius: 6,
                }}
              >
                <span style={{ display: 'flex', gap: 8, alignItems: 'baseline', fontSize: 16 }}>
                  {!n.readAt && <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 4, background: '#c8161d', flex: 'none' }} />}
                  <strong style={{ flex: 1 }}>{n.title}</strong>
                </span>
                {n.body && <Typography.Paragraph style={{ margin: '4px 0 0', fontSize: 15 }}>{n.body}</Typography.Paragraph>}
                <Typography.Text type="secondary" style={{ fontSize: 14 }}>{shanghaiTime(n.createdAt)}</Typography.Text>
              </button>
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
