import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Empty, Flex, List, Progress, Select, Skeleton, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { CompletionRow } from '@lianxin/contracts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { shanghaiTime } from '../features/coverage/coverage-labels.ts';
import { CompareBars } from '../features/visit-rules/compare-bars.tsx';
import { changeColor, changeText, figuresText, monthLabel, pct, rateColor, recentMonths, thisMonth } from '../features/visit-rules/rule-labels.ts';
import { completionQuery } from '../features/visit-rules/rule-queries.ts';

/** Worst first: where the work is. Rows with nothing due go last. */
const byPercent = (a: CompletionRow, b: CompletionRow) => (a.current.percent ?? 101) - (b.current.percent ?? 101);

function ChildRow({ r, month }: { r: CompletionRow; month: string }) {
  const body = (
    <>
      <Flex justify="space-between" gap={8} wrap>
        <span style={{ fontSize: 16, fontWeight: 500 }}>{r.name}</span>
        <Typography.Text type="secondary">{figuresText(r.current)}{r.kind === 'org' ? ' ›' : ''}</Typography.Text>
      </Flex>
      <CompareBars current={r.current.percent} previous={r.previous.percent} change={r.change} label={r.name} />
    </>
  );
  const testId = `completion-${r.code ?? r.personId}`;
  // A member is the last level: their visits are in their 工作手册, not another completion page.
  return r.kind === 'org' && r.code ? (
    <Link to={`?${new URLSearchParams({ org: r.code, month })}`} className="lx-row-link" data-testid={testId} data-percent={r.current.percent ?? ''}>{body}</Link>
  ) : (
    <div className="lx-row-link" data-testid={testId} data-percent={r.current.percent ?? ''}>{body}</div>
  );
}

/**
 * 走访完成率: how much of what the rules require was done this month, against last month, for the org and each of its
 * towns, villages or members (drill down zone → town → village → member). Figures come from rollups of the visits.
 */
export function VisitCompletionPage() {
  const [params, setParams] = useSearchParams();
  const org = params.get('org');
  const month = params.get('month');
  const q = useQuery(completionQuery(org, month));

  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="该组织不存在，或不在您的查看范围内。" />;
  const d = q.data;
  const self = d.self;
  const children = [...d.children].sort(byPercent);
  const unit = d.org.level === 'zone' ? '镇（街道）' : d.org.level === 'town' ? '村（社区）' : '党员';
  const setMonth = (m: string) => setParams({ ...(org ? { org } : {}), month: m }, { replace: true });
  const link = (code: string) => `?${new URLSearchParams({ org: code, month: d.month })}`;

  return (
    <article aria-labelledby="completion-title">
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            ...d.ancestors.map((a) => ({ key: a.code, title: <Link to={link(a.code)}>{a.name}</Link> })),
            { key: d.org.code, title: <span aria-current="page">{d.org.name}</span> },
          ]}
        />
      </nav>
      <PageTitle id="completion-title" style={{ margin: '8px 0 12px' }}>{d.org.name} · 走访完成率</PageTitle>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
        <label htmlFor="completion-month" style={{ fontSize: 16 }}>月份</label>
        <Select id="completion-month" value={d.month} onChange={setMonth} style={{ minWidth: 140 }}
          options={recentMonths(thisMonth()).map((m) => ({ value: m, label: monthLabel(m) }))} />
      </Flex>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={24} wrap align="center">
          <div role="group" aria-label="本月完成率" data-testid="completion-self" data-percent={self.current.percent ?? ''} style={{ textAlign: 'center' }}>
            <Progress type="circle" size={112} percent={self.current.percent ?? 0} strokeColor={rateColor(self.current.percent)} format={() => pct(self.current.percent)} aria-label={`${monthLabel(d.month)}完成率 ${pct(self.current.percent)}`} />
            <div style={{ fontSize: 14, marginTop: 4 }}>{monthLabel(d.month)}</div>
          </div>
          <div>
            <Typography.Paragraph style={{ fontSize: 16, marginBottom: 4 }}>{figuresText(self.current)}</Typography.Paragraph>
            <Typography.Paragraph style={{ marginBottom: 4 }}>
              {monthLabel(d.previousMonth)}：{pct(self.previous.percent)}
              {self.change !== null && <Typography.Text style={{ color: changeColor(self.change), marginLeft: 8 }} data-testid="completion-change">{changeText(self.change)}</Typography.Text>}
            </Typography.Paragraph>
            <Typography.Text type="secondary">按走访规则计算：每户每周期应走访的次数，达到即算完成</Typography.Text>
          </div>
        </Flex>
      </Card>
      <Typography.Paragraph type="secondary" data-testid="completion-as-of">数据截至 {shanghaiTime(d.asOf)}（北京时间）</Typography.Paragraph>
      <section aria-labelledby="completion-children">
        <SectionTitle id="completion-children">各{unit}（完成率从低到高，浅色为上月）</SectionTitle>
        <List
          bordered
          style={{ background: '#fff' }}
          dataSource={children}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`没有下级${unit}的数据`} /> }}
          renderItem={(r) => <List.Item key={r.code ?? r.personId} style={{ padding: '4px 12px', display: 'block' }}><ChildRow r={r} month={d.month} /></List.Item>}
        />
      </section>
    </article>
  );
}
