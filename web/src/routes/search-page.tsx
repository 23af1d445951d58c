import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, List, Spin, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { orgSearchQuery } from '../features/orgs/org-queries.ts';
import { OrgSearchBox } from '../features/orgs/org-search-box.tsx';
import { PageTitle } from '../app/page-title.tsx';

export function SearchPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const q = (params.get('q') ?? '').trim();
  const search = useQuery(orgSearchQuery(q));

  return (
    <section aria-labelledby="search-title">
      <PageTitle id="search-title" style={{ marginTop: 0 }}>搜索组织</PageTitle>
      <OrgSearchBox defaultValue={q} autoFocus={!q} onSearch={(v) => navigate(`/search?q=${encodeURIComponent(v)}`)} />
      <div style={{ marginTop: 16 }}>
        {!q ? (
          <Typography.Paragraph type="secondary">可输入镇街、村社区的名称，或拼音首字母（例如“kjz”找到克井镇）。</Typography.Paragraph>
        ) : search.isPending ? (
          <Spin />
        ) : search.isError ? (
          <Alert type="error" showIcon title="搜索失败" description={search.error.message} />
        ) : search.data.data.length === 0 ? (
          <Empty description={`没有找到与“${q}”匹配的组织`} />
        ) : (
          <section aria-label="搜索结果">
        <List
              bordered
            style={{ background: '#fff' }}
            dataSource={search.data.data}
            renderItem={(org) => (
              <List.Item key={org.code} style={{ padding: '4px 12px' }}>
                <Link to={`/orgs/${encodeURIComponent(org.code)}`} className="lx-block-link" style={{ flexWrap: 'wrap', columnGap: 8 }}>
                  <span style={{ fontSize: 16, fontWeight: 500 }}>{org.name}</span>
                  <Typography.Text type="secondary">
                    {orgLevelLabels[org.level]}
                    {org.ancestors.length > 0 && ` · ${org.ancestors.map((a) => a.name).join(' / ')}`}
                  </Typography.Text>
                </Link>
              </List.Item>
            )}
          />
        </section>
        )}
      </div>
    </section>
  );
}
