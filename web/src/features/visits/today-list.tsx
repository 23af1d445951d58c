import { Button, Flex, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { BusinessKind } from '@lianxin/contracts';
import { awayScopeLabels, type AwayScope } from '../households/household-labels.ts';
import { kindLabels } from '../businesses/business-labels.ts';
import { Figure } from '../home/home-card.tsx';
import { SavedVisitNote } from './saved-visit-note.tsx';
import { agoText, channelLabels, TAG, urgencyLabels, visitTime } from './visit-labels.ts';
import type { DueStatus, TodayAwayResident, TodayItem, TodayView } from './visit-types.ts';
import { OfflineTodayNotice } from '../offline/offline-today-notice.tsx';

const statusTags: Record<DueStatus, { color: string; text: string }> = {
  overdue: { color: 'red', text: '已逾期' },
  due: { color: 'orange', text: '待走访' },
  done: { color: 'green', text: '已完成' },
};
const periodLabels = { week: '本周', month: '本月' } as const;

/** Where 记录走访 goes: the visit form for this constituent (and, for 代录, the member it counts for). */
export function recordVisitPath(c: Pick<TodayItem, 'householdId' | 'businessId'>, person?: string): string {
  const qs = new URLSearchParams(c.householdId ? { household: c.householdId } : { business: c.businessId ?? '' });
  if (person) qs.set('person', person);
  return `/visits/new?${qs}`;
}

function detailPath(c: TodayItem): string {
  return c.householdId ? `/households/${encodeURIComponent(c.householdId)}` : `/businesses/${encodeURIComponent(c.businessId ?? '')}`;
}

/**
 * 今天: the member's constituents, those to visit first (the server's order: overdue, then due, vulnerable first), each
 * with its last visit, open items and the residents away from home. 记录走访 on each row is one tap to the form.
 * `person`: 代录 — the secretary looks at a member's list and records on their behalf.
 */
export function TodayList({ today, person }: { today: TodayView; person?: string }) {
  const { counts, away } = today;
  return (
    <div>
      <OfflineTodayNotice person={person} />
      <SavedVisitNote />
      <Flex gap={16} wrap style={{ marginBottom: 12 }} data-testid="today-counts">
        <Figure value={counts.overdue} label="已逾期" warn={counts.overdue > 0} />
        <Figure value={counts.due} label="待走访" />
        <Figure value={counts.done} label="已完成" />
        {away.total > 0 && <Figure value={`${away.reached}/${away.total}`} label="在外已联系" />}
      </Flex>
      {today.items.length === 0 ? (
        <Typography.Paragraph type="secondary">还没有联系的住户或企业商户。</Typography.Paragraph>
      ) : (
        <ul aria-label="走访清单" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 12 }}>
          {today.items.map((c) => (
            <li key={c.householdId ?? c.businessId}><TodayRow c={c} person={person} /></li>
          ))}
        </ul>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>数据截至 {visitTime(today.asOf).split(' ')[1]}</Typography.Paragraph>
    </div>
  );
}

function awayText(r: TodayAwayResident): string {
  const where = awayScopeLabels[r.awayScope as AwayScope] ?? '在外';
  const reached = r.lastReachedAt
    ? `上次联系 ${agoText(r.lastReachedAt)}${r.lastReachedChannel ? `（${channelLabels[r.lastReachedChannel]}）` : ''}`
    : '尚未联系';
  return `${r.name}（${where}${r.awayPlace ? ` ${r.awayPlace}` : ''}，${reached}）`;
}

function TodayRow({ c, person }: { c: TodayItem; person?: string }) {
  const navigate = useNavigate();
  const status = c.status ? statusTags[c.status] : null;
  const kind = c.kind === 'household' ? null : kindLabels[c.kind as BusinessKind];
  // A household is named by its head (张三户), as on every other page.
  const title = c.householdId ? `${c.name}户` : c.name;
  return (
    <div className="lx-card lx-card-body" role="group" aria-label={title} data-testid="today-row">
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Link to={detailPath(c)} className="lx-tap" style={{ fontSize: 18, fontWeight: 600, color: 'inherit' }}>{title}</Link>
        {status && <Tag color={status.color} style={TAG}>{status.text}</Tag>}
      </Flex>
      <div style={{ marginBottom: 4 }}>
        {kind && <Tag style={TAG}>{kind}</Tag>}
        {c.linkRole === 'helper' && <Tag color="geekblue" style={TAG}>协助</Tag>}
        {c.tags.map((t) => <Tag key={t} color={c.vulnerable ? 'orange' : 'blue'} style={TAG}>{t}</Tag>)}
        {c.rule && (
          <Typography.Text type="secondary">{periodLabels[c.rule.period]}已走访 {c.visitsThisPeriod}/{c.rule.minVisits} 次</Typography.Text>
        )}
      </div>
      <div style={{ fontSize: 15 }}>
        {c.lastVisit ? (
          <>上次走访：{visitTime(c.lastVisit.at)} · {channelLabels[c.lastVisit.channel]}（{agoText(c.lastVisit.at)}）</>
        ) : (
          <Typography.Text style={{ color: '#ad4e00' }}>尚未走访</Typography.Text>
        )}
      </div>
      {c.openItems.count > 0 && (
        <div style={{ fontSize: 15, marginTop: 4 }} data-testid="today-open-items">
          待办事项 {c.openItems.count} 件：
          {c.openItems.items.slice(0, 3).map((i, n) => (
            <span key={i.id}>
              {n > 0 && '；'}{i.categoryName}—{i.description}{i.urgency === 'urgent' && <Tag color="red" style={{ ...TAG, marginInlineStart: 4 }}>{urgencyLabels.urgent}</Tag>}
            </span>
          ))}
          {c.openItems.count > 3 && ' 等'}
        </div>
      )}
      {c.awayResidents.length > 0 && (
        <div style={{ fontSize: 15, marginTop: 4 }} data-testid="today-away">在外：{c.awayResidents.map(awayText).join('、')}</div>
      )}
      <Button type="primary" size="large" block style={{ marginTop: 8 }} aria-label={`记录走访 ${title}`} onClick={() => navigate(recordVisitPath(c, person))}>
        记录走访
      </Button>
    </div>
  );
}
