import { useQuery } from '@tanstack/react-query';
import type { Org, SearchBusiness, SearchHousehold, SearchMember, SearchResult } from '@lianxin/contracts';
import { Alert, Empty, List, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { kindLabels } from '../features/businesses/business-labels.ts';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { searchQuery } from '../features/search/search-queries.ts';
import { SearchBox } from '../features/search/search-box.tsx';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';

/** Why a household matched, in words (the name itself needs no note). */
function householdNote(h: SearchHousehold, q: string): string | null {
  if (h.match === 'resident' && h.residentName) return `家庭成员：${h.residentName}`;
  if (h.match === 'phone') return `电话尾号 ${q}`;
  if (h.match === 'initials') return '拼音首字母';
  return null;
}

/** One group of results: a heading, its items as links, its own empty state, and 查看全部 when there are more. */
function Group<T>({ id, title, group, empty, render, moreHref }: {
  id: string; title: string; group: { items: T[]; more: boolean }; empty: string;
  render: (item: T) => { key: string; to: string; name: string; detail: ReactNode }; moreHref: string | null;
}) {
  return (
    <section aria-labelledby={id} style={{ marginTop: 16 }}>
      <SectionTitle id={id} style={{ marginBottom: 8 }}>{title}</SectionTitle>
      {group.items.length === 0 ? (
        <Typography.Paragraph type="secondary">{empty}</Typography.Paragraph>
      ) : (
        <List
          bordered
          style={{ background: '#fff' }}
          dataSource={group.items}
          renderItem={(item) => {
            const r = render(item);
            return (
              <List.Item key={r.key} style={{ padding: '4px 12px' }}>
                <Link to={r.to} className="lx-block-link" style={{ flexWrap: 'wrap', columnGap: 8 }}>
                  <span style={{ fontSize: 16, fontWeight: 500 }}>{r.name}</span>
                  <Typography.Text type="secondary">{r.detail}</Typography.Text>
                </Link>
              </List.Item>
            );
          }}
        />
      )}
      {group.more && (
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {moreHref ? <Link to={moreHref}>查看全部{title}</Link> : <Typography.Text type="secondary">只显示了前几条，请输入更准确的关键词。</Typography.Text>}
        </Typography.Paragraph>
      )}
    </section>
  );
}

function Results({ q, d }: { q: string; d: SearchResult }) {
  const total = d.orgs.items.length + (d.households?.items.length ?? 0) + (d.businesses?.items.length ?? 0) + (d.members?.items.length ?? 0);
  if (total === 0) return <Empty description={`没有找到与“${q}”匹配的结果`} />;
  const list = (kind: 'households' | 'businesses') => (d.listOrg ? `/orgs/${encodeURIComponent(d.listOrg)}/${kind}?q=${encodeURIComponent(q)}` : null);
  return (
    <section aria-label="搜索结果">
      <Group<Org>
        id="search-orgs" title="组织" group={d.orgs} empty="没有匹配的组织" moreHref={null}
        render={(o) => ({
          key: o.code, to: `/orgs/${encodeURIComponent(o.code)}`, name: o.name,
          detail: `${orgLevelLabels[o.level]}${o.ancestors.length ? ` · ${o.ancestors.map((a) => a.name).join(' / ')}` : ''}`,
        })}
      />
      {d.households && (
        <Group<SearchHousehold>
          id="search-households" title="住户" group={d.households} empty="没有匹配的住户" moreHref={list('households')}
          render={(h) => ({
            key: h.id, to: `/households/${h.id}`, name: `${h.headName}户`,
            detail: [h.orgName, h.address, householdNote(h, q)].filter(Boolean).join(' · '),
          })}
        />
      )}
      {d.businesses && (
        <Group<SearchBusiness>
          id="search-businesses" title="企业商户" group={d.businesses} empty="没有匹配的企业商户" moreHref={list('businesses')}
          render={(b) => ({
            key: b.id, to: `/businesses/${b.id}`, name: b.name,
            detail: [kindLabels[b.kind], b.orgName, b.address, b.match === 'phone' ? `联系电话尾号 ${q}` : null].filter(Boolean).join(' · '),
          })}
        />
      )}
      {d.members && (
        <Group<SearchMember>
          id="search-members" title="党员" group={d.members} empty="没有匹配的党员" moreHref={null}
          render={(m) => ({
            key: m.id, to: `/orgs/${encodeURIComponent(m.orgCode)}/households?member=${encodeURIComponent(m.id)}`, name: m.name,
            detail: `${m.kind === 'member' ? '党员' : '志愿者等'} · ${m.orgName} · 联系 ${m.load} 户`,
          })}
        />
      )}
    </section>
  );
}

export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const search = useQuery(searchQuery(q));

  return (
    <section aria-labelledby="search-title">
      <PageTitle id="search-title" style={{ marginTop: 0 }}>搜索</PageTitle>
      <SearchBox
        defaultValue={q}
        placeholder="姓名、拼音首字母（如 wjg）、地址（如 1组10号）、电话尾号（4 位）或组织名称"
        label="搜索住户、企业商户、党员和组织"
        enterButton
        autoFocus={!q}
      />
      <div style={{ marginTop: 16 }}>
        {!q ? (
          <Typography.Paragraph type="secondary">
            可以输入户主或家庭成员的姓名、拼音首字母（例如“kjz”找到克井镇）、门牌地址（“1组10号”“三组”都可以）、电话号码后 4 位，或企业商户、党员、组织的名称。只显示您有权查看的内容。
          </Typography.Paragraph>
        ) : search.isPending ? (
          <Spin />
        ) : search.isError ? (
          <Alert type="error" showIcon title="搜索失败" description={search.error.message} />
        ) : (
          <Results q={q} d={search.data} />
        )}
      </div>
    </section>
  );
}
