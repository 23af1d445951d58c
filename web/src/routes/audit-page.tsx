import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Select, Tag, Typography, message } from 'antd';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../app/page-title.tsx';
import { AuditEventList } from '../features/audit/audit-event-list.tsx';
import { auditCatalogueQuery, auditFilterKeys, auditListQuery, datePresets, exportAudit, type AuditFilters } from '../features/audit/audit-queries.ts';

const OBJECT_TYPES = [
  { value: '', label: '对象：不限' },
  { value: 'household', label: '住户' },
  { value: 'resident', label: '居民' },
  { value: 'business', label: '企业商户' },
  { value: 'account', label: '账号' },
  { value: 'org', label: '组织' },
  { value: 'link', label: '联户' },
];

const fieldStyle = { flex: '1 1 160px', minWidth: 0 };

/** 审计查询 (office and admin, ability audit.read): who did what to which object, when and from where; export to Excel. */
export function AuditPage() {
  // Not useFilterParams: the bar applies all its filters at once, and a quick link replaces them all.
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = Object.fromEntries(auditFilterKeys.map((k) => [k, params.get(k) || undefined]));
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const catalogue = useQuery(auditCatalogueQuery);
  const list = useInfiniteQuery(auditListQuery(filters));
  const [exporting, setExporting] = useState(false);
  const [msg, holder] = message.useMessage();
  const presets = datePresets();

  /** Replaces every filter at once (URL = the query; shareable and kept on reload). */
  const apply = (f: AuditFilters) => {
    setDraft(f);
    const next = new URLSearchParams();
    for (const k of auditFilterKeys) if (f[k]?.trim()) next.set(k, f[k]!.trim());
    setParams(next, { replace: true });
  };
  const set = (patch: AuditFilters) => setDraft({ ...draft, ...patch });

  const events = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = auditFilterKeys.some((k) => filters[k]);
  const kindValue = draft.group ? `group:${draft.group}` : draft.action ? `action:${draft.action}` : '';
  const kindOptions = [
    { value: '', label: '操作类型：不限' },
    { label: '分组', options: (catalogue.data?.groups ?? []).map((g) => ({ value: `group:${g.key}`, label: g.label })) },
    { label: '具体操作', options: (catalogue.data?.actions ?? []).map((a) => ({ value: `action:${a.action}`, label: a.label })) },
  ];
  // An action in the URL the catalogue does not list (a prefix such as household.) still shows as itself.
  if (draft.action && !catalogue.data?.actions.some((a) => a.action === draft.action)) {
    kindOptions.push({ value: `action:${draft.action}`, label: draft.action });
  }

  async function download() {
    setExporting(true);
    try {
      await exportAudit(filters);
    } catch (e) {
      void msg.error(e instanceof Error ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  }

  const month = presets.find((p) => p.key === 'month')!;
  return (
    <article aria-labelledby="audit-title">
      {holder}
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, margin: '8px 0 12px' }}>
        <PageTitle id="audit-title" style={{ margin: 0 }}>审计查询</PageTitle>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <Button onClick={() => apply({ group: 'full_export', from: month.from, to: month.to })}>本月的全量导出记录</Button>
          <Button onClick={() => apply({ group: 'reveal' })}>敏感信息查看记录</Button>
        </div>
      </div>
      {catalogue.data?.registryBodiesHidden && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="系统管理员不查看个人信息"
          description="您可以查看谁在何时做了什么操作，但住户、居民、企业等登记对象的名称和变更前后内容不向系统管理员显示。"
        />
      )}
      <form
        role="search"
        aria-label="筛选审计记录"
        onSubmit={(e) => { e.preventDefault(); apply(draft); }}
        style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}
      >
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <Input aria-label="人员（用户名）" placeholder="人员：用户名" value={draft.actor ?? ''} maxLength={100} allowClear style={fieldStyle}
            onChange={(e) => set({ actor: e.target.value })} />
          <Select aria-label="操作类型" style={fieldStyle} value={kindValue} options={kindOptions} showSearch={{ optionFilterProp: 'label' }}
            onChange={(v: string) => set({ group: v.startsWith('group:') ? v.slice(6) : undefined, action: v.startsWith('action:') ? v.slice(7) : undefined })} />
          <Input aria-label="IP 地址" placeholder="IP 地址" value={draft.ip ?? ''} maxLength={64} allowClear style={fieldStyle}
            onChange={(e) => set({ ip: e.target.value })} />
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <Select aria-label="对象类型" style={fieldStyle} value={draft.entityType ?? ''} options={OBJECT_TYPES}
            onChange={(v: string) => set({ entityType: v || undefined })} />
          <Input aria-label="对象 ID" placeholder="对象 ID（可选）" value={draft.entityId ?? ''} maxLength={100} allowClear style={fieldStyle}
            onChange={(e) => set({ entityId: e.target.value })} />
          {draft.household && (
            <Tag closable onClose={() => set({ household: undefined })} style={{ alignSelf: 'center', fontSize: 14 }}>住户及其居民：{draft.household.slice(0, 8)}…</Tag>
          )}
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            从 <Input type="date" aria-label="开始日期" value={draft.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} style={{ width: 160 }} />
          </label>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            到 <Input type="date" aria-label="结束日期" value={draft.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} style={{ width: 160 }} />
          </label>
          {presets.map((p) => (
            <Button key={p.key} onClick={() => set({ from: p.from, to: p.to })}>{p.label}</Button>
          ))}
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <Button type="primary" htmlType="submit">查询</Button>
          <Button onClick={() => apply({})}>清除条件</Button>
          <Button onClick={() => void download()} loading={exporting} disabled={!list.isSuccess || events.length === 0}>导出 Excel</Button>
        </div>
      </form>
      <Typography.Paragraph type="secondary" aria-live="polite" style={{ fontSize: 14 }} data-testid="audit-count">
        {list.isPending ? '正在加载…' : `${filtered ? '找到' : '最近'} ${events.length}${list.hasNextPage ? '+' : ''} 条记录`}
      </Typography.Paragraph>
      {list.isError ? (
        <Alert type="error" showIcon title="加载失败" description={list.error.message} />
      ) : (
        <section aria-label="审计记录">
          <AuditEventList events={events} loading={list.isPending} emptyText={filtered ? '没有符合条件的记录' : '还没有审计记录'} />
          {list.hasNextPage && (
            <Button block style={{ marginTop: 12 }} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>加载更多</Button>
          )}
        </section>
      )}
    </article>
  );
}
