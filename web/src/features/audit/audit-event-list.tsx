import { useState } from 'react';
import { Button, Empty, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { AuditEvent } from '@lianxin/contracts';
import { AuditEventDetails } from './audit-event-details.tsx';
import { eventTime } from './audit-queries.ts';

const REVEAL = /\.reveal$/;

function EventItem({ e, showObject }: { e: AuditEvent; showObject: boolean }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-event-${e.id}`;
  const o = e.object;
  const objectText = o ? `${o.typeLabel}${o.label ? `：${o.label}` : ''}` : null;
  return (
    <List.Item style={{ display: 'block', padding: '8px 12px' }} data-testid="audit-event">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
        <Tag color={REVEAL.test(e.action) ? 'orange' : e.action.endsWith('.export') ? 'blue' : 'default'} style={{ fontSize: 14, marginInlineEnd: 0 }}>
          {e.actionLabel}
        </Tag>
        <span style={{ fontVariantNumeric: 'tabular-nums' }}>{eventTime(e.at)}</span>
        <span>{e.actor ? e.actor.username : <Typography.Text type="secondary">（未登录）</Typography.Text>}</span>
        {e.ip && <Typography.Text type="secondary">IP {e.ip}</Typography.Text>}
      </div>
      {showObject && objectText && (
        <div style={{ marginTop: 4 }}>
          {o!.link ? <Link to={o!.link}>{objectText}</Link> : <span>{objectText}</span>}
        </div>
      )}
      {e.reason && <div style={{ marginTop: 4 }}>原因：{e.reason}</div>}
      <Button type="link" style={{ padding: 0, height: 'auto', marginTop: 4 }} aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
        {open ? '收起详情' : '查看详情'}
      </Button>
      {open && (
        <div id={detailsId} style={{ marginTop: 4, padding: 8, background: '#fafafa', borderRadius: 4 }}>
          <AuditEventDetails event={e} />
        </div>
      )}
    </List.Item>
  );
}

/** Audit events newest first: label, time, actor, address, object, reason, and before → after on demand. */
export function AuditEventList({ events, loading, showObject = true, emptyText }: { events: AuditEvent[]; loading: boolean; showObject?: boolean; emptyText: string }) {
  return (
    <List
      bordered
      style={{ background: '#fff' }}
      loading={loading}
      locale={{ emptyText: <Empty description={emptyText} /> }}
      dataSource={events}
      renderItem={(e) => <EventItem key={e.id} e={e} showObject={showObject} />}
    />
  );
}
