import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, List, Row, Segmented, Select, Skeleton, Space, Statistic, Tag, Timeline, Typography } from 'antd';
import type { Handbook, HandbookEntry } from '@lianxin/contracts';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import {
  channelColors, channelLabels, channelOrder, itemStatusColors, itemStatusLabels, visitTime,
} from '../features/handbook/handbook-labels.ts';
import {
  handbookPdfUrl, handbookQuery, periodLabel, shanghaiToday, type HandbookPeriod,
} from '../features/handbook/handbook-queries.ts';

// Tags at 14 px: the phone's smallest readable size (an elderly member reads this page).
const TAG = { fontSize: 14, marginInlineEnd: 0 } as const;
const KIND_WORDS = { household: '住户', enterprise: '企业', shop: '商户', team: '团队' } as const;

/** The period from the address (?month=YYYY-MM or ?year=YYYY), else this month. */
function usePeriod(): [HandbookPeriod, (p: HandbookPeriod) => void] {
  const [params, setParams] = useSearchParams();
  const month = params.get('month');
  const year = params.get('year');
  const period: HandbookPeriod = year && /^\d{4}$/.test(year)
    ? { kind: 'year', value: year }
    : { kind: 'month', value: month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : shanghaiToday().slice(0, 7) };
  return [period, (p) => setParams({ [p.kind]: p.value }, { replace: true })];
}

/** The last 24 months and the last 5 years, newest first: what a member looks back over. */
function periodOptions(kind: HandbookPeriod['kind']) {
  const today = shanghaiToday();
  const y = Number(today.slice(0, 4));
  if (kind === 'year') return Array.from({ length: 5 }, (_, i) => ({ value: String(y - i), label: `${y - i}年` }));
  const m = Number(today.slice(5, 7));
  return Array.from({ length: 24 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    const value = d.toISOString().slice(0, 7);
    return { value, label: periodLabel({ kind: 'month', value }) };
  });
}

function constituentLink(e: { householdId: string | null; businessId: string | null }, name: string) {
  if (e.householdId) return <Link className="lx-tap" to={`/households/${e.householdId}`}>{name}</Link>;
  if (e.businessId) return <Link className="lx-tap" to={`/businesses/${e.businessId}`}>{name}</Link>;
  return name;
}

function EntryItem({ e }: { e: HandbookEntry }) {
  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
        <Typography.Text strong>{visitTime(e.visitedOn, e.visitedAt)}</Typography.Text>
        <Tag color={channelColors[e.channel]} style={TAG}>{channelLabels[e.channel]}</Tag>
        <span style={{ fontSize: 16 }}>{constituentLink(e, e.constituentName)}</span>
        {e.proxy && <Tag style={TAG}>代录 · {e.enteredByName}</Tag>}
        {e.basis === 'helper' && <Tag style={TAG}>协助走访</Tag>}
      </div>
      {e.residents.length > 0 && <div><Typography.Text type="secondary">在场：</Typography.Text>{e.residents.join('、')}</div>}
      {e.notes && <div style={{ whiteSpace: 'pre-wrap' }}><Typography.Text type="secondary">记录：</Typography.Text>{e.notes}</div>}
      {e.items.map((it) => (
        <div key={it.id} style={{ marginTop: 2 }}>
          <Typography.Text type="secondary">反映事项：</Typography.Text>
          <Tag style={TAG}>{it.categoryName}</Tag>
          {it.urgency === 'urgent' && <Tag color="red" style={TAG}>紧急</Tag>}
          {it.description}
          <Tag color={itemStatusColors[it.status]} style={{ ...TAG, marginInlineStart: 6 }}>{itemStatusLabels[it.status]}</Tag>
        </div>
      ))}
      {e.photos > 0 && <Typography.Text type="secondary">照片 {e.photos} 张</Typography.Text>}
    </div>
  );
}

function Summary({ h }: { h: Handbook }) {
  const s = h.summary;
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}><Statistic title="走访次数" value={s.visits} suffix="次" /></Col>
        <Col xs={12} md={6}><Statistic title="走访户数" value={s.constituents} suffix="户" /></Col>
        <Col xs={12} md={6}><Statistic title="反映事项" value={s.items} suffix={`件${s.openItems ? `（未办结 ${s.openItems}）` : ''}`} /></Col>
        <Col xs={12} md={6}>
          <Statistic title="本期未走访" value={s.notVisited} suffix="户" styles={{ content: { color: s.notVisited > 0 ? '#c8161d' : undefined } }} />
        </Col>
      </Row>
      <Space wrap size={4} style={{ marginTop: 8 }} aria-label="按方式">
        {channelOrder.map((c) => <Tag key={c} color={s.byChannel[c] ? channelColors[c] : undefined} style={TAG}>{channelLabels[c]} {s.byChannel[c] ?? 0} 次</Tag>)}
        {s.proxy > 0 && <Tag style={TAG}>其中代录 {s.proxy} 次</Tag>}
      </Space>
    </Card>
  );
}

/**
 * 工作手册: one member's visits and the items raised in them, by month or year, with a summary, the linked households
 * not visited in the period and the current links; 打印 PDF prints the same period. At /handbook for the signed-in
 * member (their own), at /people/:id/handbook from the roster (secretary, town, office in scope). Phone first.
 */
export function HandbookPage() {
  const { id } = useParams();
  const person = id ?? 'me';
  const [period, setPeriod] = usePeriod();
  const q = useInfiniteQuery(handbookQuery(person, period));

  // The title stays while a period loads (changing the period refetches): the page always has its h1.
  if (q.isPending) return <><PageTitle id="handbook-title" style={{ margin: '8px 0 4px' }}>{id ? '工作手册' : '我的工作手册'}</PageTitle><Skeleton active /></>;
  if (q.isError) {
    return <UnavailableResult error={q.error} title="无法查看工作手册" text={id ? '该人员不存在，或不在您的查看范围内。' : '当前账号没有对应的党员信息。'} />;
  }
  const h = q.data.pages[0]!;
  const timeline = q.data.pages.flatMap((p) => p.timeline);
  const missing = h.links.filter((l) => l.visits === 0);
  const label = periodLabel(period);

  return (
    <article aria-labelledby="handbook-title">
      <PageTitle id="handbook-title" style={{ margin: '8px 0 4px' }}>{id ? `${h.person.name} · 工作手册` : '我的工作手册'}</PageTitle>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {[h.person.name, h.person.town, h.person.branch].filter(Boolean).join(' · ')}
      </Typography.Paragraph>

      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Segmented
            aria-label="按月或按年"
            value={period.kind}
            options={[{ value: 'month', label: '按月' }, { value: 'year', label: '按年' }]}
            onChange={(k) => setPeriod(k === 'year' ? { kind: 'year', value: period.value.slice(0, 4) } : { kind: 'month', value: shanghaiToday().slice(0, 7) })}
          />
          <Select
            aria-label={period.kind === 'year' ? '年份' : '月份'}
            style={{ minWidth: 130 }}
            value={period.value}
            options={periodOptions(period.kind)}
            onChange={(v: string) => setPeriod({ kind: period.kind, value: v } as HandbookPeriod)}
          />
          <Button type="primary" href={handbookPdfUrl(person, period)} download={`工作手册-${h.person.name}-${period.value}.pdf`}>
            打印 PDF（{label}）
          </Button>
        </Space>
      </Card>

      <Summary h={h} />

      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`${label}还有 ${missing.length} 户（家）没有走访`}
          description={missing.map((l) => l.name).join('、')}
        />
      )}

      <section aria-labelledby="timeline-title">
        <SectionTitle id="timeline-title">走访记录</SectionTitle>
        {timeline.length === 0 ? (
          <Empty description={`${label}没有走访记录`} style={{ margin: '16px 0' }} />
        ) : (
          <Card size="small" style={{ marginBottom: 12 }}>
            <Timeline items={timeline.map((e) => ({ key: e.visitId, color: e.items.some((i) => i.urgency === 'urgent') ? 'red' : 'blue', content: <EntryItem e={e} /> }))} />
            {q.hasNextPage && (
              <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>加载更多</Button>
            )}
          </Card>
        )}
      </section>

      <section aria-labelledby="links-title">
        <SectionTitle id="links-title">联系的住户和企业商户（{h.links.length}）</SectionTitle>
        <List
          bordered
          style={{ background: '#fff' }}
          locale={{ emptyText: <Empty description="目前没有联系的住户或企业商户" /> }}
          dataSource={h.links}
          renderItem={(l) => (
            <List.Item key={`${l.householdId ?? l.businessId}-${l.role}`} style={{ display: 'block', padding: '8px 12px' }}>
              <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
                <strong style={{ fontSize: 16 }}>{constituentLink(l, l.name)}</strong>
                {l.kind !== 'household' && <Tag style={TAG}>{KIND_WORDS[l.kind]}</Tag>}
                {l.role === 'helper' && <Tag style={TAG}>协助联系</Tag>}
                {l.visits > 0 ? <Tag color="green" style={TAG}>本期走访 {l.visits} 次</Tag> : <Tag color="red" style={TAG}>本期未走访</Tag>}
              </div>
              <Typography.Text type="secondary">{l.address} · 最近走访 {l.lastVisitedOn ?? '从未走访'}</Typography.Text>
            </List.Item>
          )}
        />
      </section>
    </article>
  );
}
