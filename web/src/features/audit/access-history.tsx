import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Collapse } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { SectionTitle } from '../../app/page-title.tsx';
import { AuditEventList } from './audit-event-list.tsx';
import { accessHistoryQuery } from './audit-queries.ts';

/**
 * 访问记录 of a household: who revealed its residents' numbers (and why), exported or changed it. Collapsed by default
 * and loaded only when opened; the household page shows it to the registry readers of its village (abilities.readLinks,
 * the same rule the server applies).
 */
/** `canReview`: the caller also has 审计查询 (office), which opens the same events with every filter. */
export function AccessHistory({ householdId, canReview }: { householdId: string; canReview: boolean }) {
  const [open, setOpen] = useState(false);
  const history = useInfiniteQuery({ ...accessHistoryQuery(householdId), enabled: open });
  const events = history.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section aria-labelledby="access-history-title" style={{ marginTop: 16 }}>
      <SectionTitle id="access-history-title" style={{ marginBottom: 8 }}>访问记录</SectionTitle>
      <Collapse
        activeKey={open ? ['history'] : []}
        onChange={(keys) => setOpen(keys.includes('history'))}
        items={[{
          key: 'history',
          label: '谁查看过、导出或修改过此住户',
          children: history.isError ? (
            <Alert type="error" showIcon title="加载失败" description={history.error.message} />
          ) : (
            <>
              <AuditEventList events={events} loading={history.isPending} showObject emptyText="暂无访问记录" />
              {history.hasNextPage && (
                <Button block style={{ marginTop: 8 }} loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>加载更多</Button>
              )}
              {canReview && <Link to={`/audit?household=${encodeURIComponent(householdId)}`} style={{ display: 'inline-block', marginTop: 8 }}>在审计查询中查看</Link>}
            </>
          ),
        }]}
      />
    </section>
  );
}
