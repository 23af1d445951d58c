import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Select, Tag, Typography } from 'antd';
import type { Link } from '@lianxin/contracts';
import { queryClient } from '../../auth/auth-queries.ts';
import { constituentLinksQuery, createLink, type ConstituentRef, type LinkEndReason } from './coverage-queries.ts';
import { endReasonOptions, historyEndReasonLabels } from './coverage-labels.ts';
import { MemberPicker } from './member-picker.tsx';
import { SectionTitle } from '../../app/page-title.tsx';
import { ContactGroupView } from '../notifications/contact-group-view.tsx';

const reasonText = (r: string | null) => (r ? (historyEndReasonLabels[r as keyof typeof historyEndReasonLabels] ?? r) : '');

/**
 * 联户党员 of a household, enterprise, shop or team: the current primary member, the history, and 更换联户党员 for
 * those who may update.
 */
export function ConstituentLinks({ constituent, orgCode, canUpdate }: { constituent: ConstituentRef; orgCode: string; canUpdate: boolean }) {
  const links = useQuery(constituentLinksQuery(constituent));
  const [editing, setEditing] = useState(false);
  const [personId, setPersonId] = useState<string>();
  const [reason, setReason] = useState<LinkEndReason>('reassigned');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const all = [...(links.data ?? [])].sort((a, b) => (b.startsOn + (b.endsOn ? '' : '~')).localeCompare(a.startsOn + (a.endsOn ? '' : '~')));
  const current = all.find((l) => l.role === 'primary' && !l.endsOn);

  async function save() {
    if (!personId) return;
    setBusy(true);
    setError(null);
    try {
      await createLink({ personId, ...constituent, ...(current ? { replaceReason: reason } : {}) });
      // A business's detail and list show its linked member (and filter by it).
      if ('businessId' in constituent) {
        void queryClient.invalidateQueries({ queryKey: ['business', constituent.businessId] });
        void queryClient.invalidateQueries({ queryKey: ['businesses'] });
      }
      setEditing(false);
      setPersonId(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : '保存失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="links-title" style={{ marginTop: 16 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
        <SectionTitle id="links-title" style={{ margin: 0 }}>联户党员</SectionTitle>
        {canUpdate && !editing && links.isSuccess && (
          <Button onClick={() => setEditing(true)}>{current ? '更换联户党员' : '指定联户党员'}</Button>
        )}
      </div>
      {links.isError ? (
        <Alert type="error" showIcon title="加载失败" description={links.error.message} />
      ) : (
        <Card size="small" loading={links.isPending}>
          <div data-testid="current-link" style={{ fontSize: 16, marginBottom: 8 }}>
            当前：{current ? <strong>{current.personName}</strong> : <Typography.Text type="danger">尚未联系（没有联户党员）</Typography.Text>}
            {current && <Typography.Text type="secondary" style={{ fontSize: 14 }}>（自 {current.startsOn} 起）</Typography.Text>}
          </div>
          {current && <ContactGroupView personId={current.personId} memberName={current.personName} />}
          {editing && (
            <div role="group" aria-label={current ? '更换联户党员' : '指定联户党员'} style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
              <MemberPicker org={orgCode} label="新的联户党员" value={personId} onChange={setPersonId} exclude={current?.personId} />
              {current && (
                <Select
                  aria-label="更换原因"
                  value={reason}
                  onChange={(v: LinkEndReason) => setReason(v)}
                  options={endReasonOptions}
                />
              )}
              {error && <Alert role="alert" type="error" showIcon title={error} />}
              <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
                <Button onClick={() => { setEditing(false); setError(null); }}>取消</Button>
                <Button type="primary" disabled={!personId} loading={busy} onClick={save}>确认更换</Button>
              </div>
            </div>
          )}
          <Typography.Text strong style={{ fontSize: 15 }}>联系记录</Typography.Text>
          <List<Link>
            aria-label="联户记录"
            size="small"
            dataSource={all}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有联户记录" /> }}
            renderItem={(l) => (
              <List.Item key={l.id} style={{ display: 'block', padding: '6px 0' }}>
                <span style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, fontSize: 15 }}>
                  <strong>{l.personName}</strong>
                  {l.role === 'helper' && <Tag style={{ fontSize: 14, marginInlineEnd: 0 }}>协助</Tag>}
                  <span>{l.startsOn} 至 {l.endsOn ?? '今'}</span>
                  {l.endsOn ? (
                    <Tag style={{ fontSize: 14, marginInlineEnd: 0 }}>{reasonText(l.endReason) || '已结束'}</Tag>
                  ) : (
                    <Tag color="green" style={{ fontSize: 14, marginInlineEnd: 0 }}>联系中</Tag>
                  )}
                </span>
              </List.Item>
            )}
          />
        </Card>
      )}
    </section>
  );
}
