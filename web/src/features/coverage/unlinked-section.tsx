import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, List, Select, Typography } from 'antd';
import type { Link } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { createLink, undoLink, unlinkedQuery, type ConstituentKind, type UnlinkedItem } from './coverage-queries.ts';
import { kindLabels, kinds } from './coverage-labels.ts';
import { MemberPicker } from './member-picker.tsx';
import { SectionTitle } from '../../app/page-title.tsx';

/**
 * 未联系对象 of an org, each with a member picker and 确认 (one click assigns; the row leaves the list). The last
 * assignment is confirmed by name — 已分配给 XX — with 撤销 (the server ends the link as assignment_undone within
 * minutes, so a slip costs one tap and the history still shows what happened).
 */
export function UnlinkedSection({ org, canAssign }: { org: string; canAssign: boolean }) {
  const [kind, setKind] = useState<ConstituentKind>('household');
  const list = useInfiniteQuery(unlinkedQuery(org, kind));
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const [last, setLast] = useState<{ link: Link; undone: boolean } | null>(null);
  const undo = useSubmit('撤销失败，请稍后再试');

  return (
    <section aria-labelledby="unlinked-title" style={{ marginBottom: 16 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
        <SectionTitle id="unlinked-title" style={{ margin: 0 }}>未联系对象</SectionTitle>
        <Select
          aria-label="对象类别"
          value={kind}
          onChange={(v: ConstituentKind) => setKind(v)}
          options={kinds.map((k) => ({ value: k, label: kindLabels[k] }))}
          style={{ width: 120 }}
        />
      </div>
      {last && (
        <Alert
          role="status"
          type={last.undone ? 'info' : 'success'}
          showIcon
          closable={{ 'aria-label': '关闭提示' }}
          onClose={() => { setLast(null); undo.setError(null); }}
          style={{ marginBottom: 8 }}
          title={last.undone
            ? `已撤销：${last.link.constituentName} 回到未联系`
            : `${last.link.constituentName} 已分配给 ${last.link.personName}`}
          description={undo.error ?? undefined}
          action={last.undone ? undefined : (
            <Button
              size="small"
              loading={undo.busy}
              aria-label={`撤销分配${last.link.constituentName}`}
              onClick={() => undo.run(async () => {
                await undoLink(last.link.id);
                setLast({ link: last.link, undone: true });
              })}
            >
              撤销
            </Button>
          )}
        />
      )}
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <List
          aria-label="未联系对象列表"
          bordered
          style={{ background: '#fff' }}
          loading={list.isPending}
          locale={{ emptyText: <Empty description={`所有${kindLabels[kind]}都已有联户党员`} /> }}
          dataSource={rows}
          renderItem={(item) => (
            <UnlinkedRow
              key={item.householdId ?? item.businessId}
              item={item}
              canAssign={canAssign}
              onAssigned={(link) => { undo.setError(null); setLast({ link, undone: false }); }}
            />
          )}
          loadMore={
            list.hasNextPage ? (
              <div style={{ textAlign: 'center', padding: 12 }}>
                <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>加载更多</Button>
              </div>
            ) : null
          }
        />
      )}
    </section>
  );
}

function UnlinkedRow({ item, canAssign, onAssigned }: { item: UnlinkedItem; canAssign: boolean; onAssigned: (link: Link) => void }) {
  const [personId, setPersonId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function assign() {
    if (!personId) return;
    setBusy(true);
    setError(null);
    try {
      onAssigned(await createLink({ personId, ...(item.householdId ? { householdId: item.householdId } : { businessId: item.businessId ?? undefined }) }));
    } catch (e) {
      setError(e instanceof Error ? e.message : '分配失败');
      setBusy(false);
    }
  }

  return (
    <List.Item style={{ padding: '8px 12px', display: 'block' }}>
      <div role="group" aria-label={item.name}>
        <div style={{ fontSize: 16, fontWeight: 500 }}>{item.name}</div>
        <Typography.Text type="secondary" style={{ fontSize: 14 }}>{item.address}</Typography.Text>
        {canAssign && (
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <MemberPicker org={item.orgCode} label={`为${item.name}选择联户党员`} value={personId} onChange={setPersonId} style={{ flex: 1 }} />
            <Button type="primary" disabled={!personId} loading={busy} onClick={assign} aria-label={`确认分配${item.name}`}>确认</Button>
          </div>
        )}
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      </div>
    </List.Item>
  );
}
