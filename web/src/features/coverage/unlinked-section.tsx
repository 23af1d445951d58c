import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, List, Select, Typography } from 'antd';
import { createLink, unlinkedQuery, type ConstituentKind, type UnlinkedItem } from './coverage-queries.ts';
import { kindLabels, kinds } from './coverage-labels.ts';
import { MemberPicker } from './member-picker.tsx';
import { SectionTitle } from '../../app/page-title.tsx';

/** 未联系对象 of an org, each with a member picker and 确认 (one click assigns; the row leaves the list). */
export function UnlinkedSection({ org, canAssign }: { org: string; canAssign: boolean }) {
  const [kind, setKind] = useState<ConstituentKind>('household');
  const list = useInfiniteQuery(unlinkedQuery(org, kind));
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

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
          renderItem={(item) => <UnlinkedRow key={item.householdId ?? item.businessId} item={item} canAssign={canAssign} />}
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

function UnlinkedRow({ item, canAssign }: { item: UnlinkedItem; canAssign: boolean }) {
  const [personId, setPersonId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function assign() {
    if (!personId) return;
    setBusy(true);
    setError(null);
    try {
      await createLink({ personId, ...(item.householdId ? { householdId: item.householdId } : { businessId: item.businessId ?? undefined }) });
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
