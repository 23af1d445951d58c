import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import type { Resident } from '@lianxin/contracts';
import type { VisitView } from './visit-types.ts';
import { SectionTitle } from '../../app/page-title.tsx';
import { SavedVisitNote } from './saved-visit-note.tsx';
import { VisitCorrectDrawer } from './visit-correct-drawer.tsx';
import { channelLabels, raisedItemStatusLabels, TAG, urgencyLabels, visitTime } from './visit-labels.ts';
import { raisedItemsQuery, visitListQuery, type VisitSubject } from './visit-queries.ts';

/**
 * A household's or business's 走访记录 (newest first, with 更正 while allowed) and 反映事项 (each item a row with its
 * status), and 记录走访 for those who record visits. `residents`: the household's, for the correction form.
 */
export function VisitHistory({ subject, residents = [], canRecord }: {
  subject: VisitSubject;
  residents?: Pick<Resident, 'id' | 'name' | 'relation' | 'awayScope'>[];
  canRecord: boolean;
}) {
  const visits = useInfiniteQuery(visitListQuery(subject));
  const items = useQuery(raisedItemsQuery(subject));
  const [correcting, setCorrecting] = useState<VisitView | null>(null);
  const navigate = useNavigate();
  const rows = visits.data?.pages.flatMap((p) => p.data) ?? [];
  const newVisit = `/visits/new?${new URLSearchParams('householdId' in subject ? { household: subject.householdId } : { business: subject.businessId })}`;
  const here = 'householdId' in subject ? `/households/${subject.householdId}` : `/businesses/${subject.businessId}`;

  return (
    <>
      <section aria-labelledby="visits-title" style={{ marginTop: 16 }}>
        <Flex wrap align="center" justify="space-between" gap={8} style={{ marginBottom: 8 }}>
          <SectionTitle id="visits-title" style={{ margin: 0 }}>走访记录</SectionTitle>
          {canRecord && <Button type="primary" onClick={() => navigate(newVisit, { state: { from: here } })}>记录走访</Button>}
        </Flex>
        <SavedVisitNote />
        {visits.isPending ? (
          <Skeleton active paragraph={{ rows: 2 }} />
        ) : visits.isError ? (
          <Alert type="error" showIcon title="走访记录加载失败" description={visits.error.message} />
        ) : rows.length === 0 ? (
          <Empty description="还没有走访记录" />
        ) : (
          <ul aria-label="走访记录" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }}>
            {rows.map((v) => (
              <li key={v.id} data-testid="visit-row">
                <VisitCard v={v} onCorrect={() => setCorrecting(v)} />
              </li>
            ))}
          </ul>
        )}
        {visits.hasNextPage && (
          <Button onClick={() => visits.fetchNextPage()} loading={visits.isFetchingNextPage} style={{ marginTop: 8 }}>加载更多</Button>
        )}
      </section>
      <section aria-labelledby="items-title" style={{ marginTop: 16 }}>
        <SectionTitle id="items-title" style={{ marginBottom: 8 }}>反映事项</SectionTitle>
        {items.isPending ? (
          <Skeleton active paragraph={{ rows: 1 }} />
        ) : items.isError ? (
          <Alert type="error" showIcon title="反映事项加载失败" description={items.error.message} />
        ) : items.data.length === 0 ? (
          <Empty description="没有反映事项" />
        ) : (
          <ul aria-label="反映事项" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }}>
            {items.data.map((i) => (
              <li key={i.id} data-testid="item-row">
                <Card size="small">
                  <Flex wrap gap={4} align="center">
                    <Tag color={i.status === 'open' ? 'orange' : 'default'} style={TAG}>{raisedItemStatusLabels[i.status]}</Tag>
                    {i.urgency === 'urgent' && <Tag color="red" style={TAG}>{urgencyLabels.urgent}</Tag>}
                    <strong>{i.categoryName}</strong>
                    <Typography.Text type="secondary">{visitTime(i.createdAt)}</Typography.Text>
                  </Flex>
                  <div style={{ fontSize: 15, marginTop: 4 }}>{i.description}</div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>
      {correcting && <VisitCorrectDrawer visit={correcting} residents={residents} onClose={() => setCorrecting(null)} />}
    </>
  );
}

function VisitCard({ v, onCorrect }: { v: VisitView; onCorrect: () => void }) {
  return (
    <Card size="small" role="group" aria-label={`${visitTime(v.visitedAt)} ${channelLabels[v.channel]}`}>
      <Flex wrap gap={4} align="center" justify="space-between">
        <span style={{ fontSize: 16 }}>
          <strong>{visitTime(v.visitedAt)}</strong> · {channelLabels[v.channel]} · {v.personName}
        </span>
        {v.editable && <Button onClick={onCorrect} aria-label={`更正 ${visitTime(v.visitedAt)} 的走访`}>更正</Button>}
      </Flex>
      <div>
        {v.proxy && <Tag color="purple" style={TAG}>代录（{v.enteredByName}）</Tag>}
        {v.basis === 'helper' && <Tag color="geekblue" style={TAG}>协助走访</Tag>}
      </div>
      {v.photos.length > 0 && (
        <Flex wrap gap={4} style={{ marginTop: 4 }}>
          {v.photos.map((p) => {
            const src = `/api/v1/visits/${encodeURIComponent(v.id)}/photos/${p.seq}`;
            return (
              <a key={p.id} href={src} target="_blank" rel="noreferrer" aria-label={`查看照片 ${p.seq}`}>
                <img src={src} alt={`走访照片 ${p.seq}`} loading="lazy" style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4 }} />
              </a>
            );
          })}
        </Flex>
      )}
      {v.residents.length > 0 && <div style={{ marginTop: 4 }}>参与：{v.residents.map((r) => r.name).join('、')}</div>}
      {v.notes && <div style={{ marginTop: 4, whiteSpace: 'pre-wrap' }}>{v.notes}</div>}
      {v.items.length > 0 && (
        <div style={{ marginTop: 4 }}>反映：{v.items.map((i) => `${i.categoryName}—${i.description}`).join('；')}</div>
      )}
    </Card>
  );
}
