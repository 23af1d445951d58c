import { useEffect, useState } from 'react';
import { Alert, Empty, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { Link, useRouteLoaderData } from 'react-router';
import type { Me, Org, OrgLevel } from '@lianxin/contracts';
import { queryClient } from '../auth/auth-queries.ts';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { fetchAllChildren } from '../features/orgs/org-queries.ts';
import { SearchBox } from '../features/search/search-box.tsx';
import { PageTitle } from '../app/page-title.tsx';

interface OrgNode extends TreeDataNode {
  key: string;
  name: string;
  level: OrgLevel;
  synthetic: boolean;
  children?: OrgNode[];
}

function toNode(o: Pick<Org, 'code' | 'name' | 'level'> & Partial<Pick<Org, 'counts' | 'synthetic'>>): OrgNode {
  return {
    key: o.code,
    title: o.name,
    name: o.name,
    level: o.level,
    synthetic: o.synthetic ?? false,
    // Roots come without counts: let them try to expand.
    isLeaf: o.counts ? o.counts.children === 0 : undefined,
  };
}

function withChildren(nodes: OrgNode[], key: string, children: OrgNode[]): OrgNode[] {
  return nodes.map((n) => {
    if (n.key === key) return { ...n, children, isLeaf: children.length === 0 };
    if (n.children) return { ...n, children: withChildren(n.children, key, children) };
    return n;
  });
}

function loadChildren(code: string) {
  return queryClient.fetchQuery({ queryKey: ['org-all-children', code], queryFn: () => fetchAllChildren(code), staleTime: 60_000 });
}

export function OrgsTreePage() {
  const me = useRouteLoaderData('shell') as Me;
  const [nodes, setNodes] = useState<OrgNode[]>(() => me.scopeRoots.map(toNode));
  const [expanded, setExpanded] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [anySynthetic, setAnySynthetic] = useState(false);

  async function loadData(node: { key: React.Key }) {
    const key = String(node.key);
    try {
      const children = await loadChildren(key);
      if (children.some((c) => c.synthetic)) setAnySynthetic(true);
      setNodes((prev) => withChildren(prev, key, children.map(toNode)));
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : '加载失败');
    }
  }

  // One root (a town, a village): open it straight away so the first screen is useful.
  useEffect(() => {
    const only = me.scopeRoots.length === 1 ? me.scopeRoots[0] : undefined;
    if (!only) return;
    // loadData sets state only after its fetch resolves (an external system, which is what an effect is for).
    // eslint-disable-next-line react-hooks/set-state-in-effect -- see above
    void loadData({ key: only.code }).then(() => setExpanded([only.code]));
  }, [me]);

  return (
    <section aria-labelledby="tree-title">
      <PageTitle id="tree-title" style={{ marginTop: 0 }}>组织架构</PageTitle>
      <div style={{ marginBottom: 12 }}>
        <SearchBox placeholder="输入名称或拼音首字母，如 kjz" label="搜索组织" enterButton />
      </div>
      {anySynthetic && !me.demo && <Alert type="warning" showIcon title="演示数据" description="部分组织为演示数据。" style={{ marginBottom: 12 }} />}
      {loadError && <Alert type="error" showIcon title="加载失败" description={loadError} closable onClose={() => setLoadError(null)} style={{ marginBottom: 12 }} />}
      {nodes.length === 0 ? (
        <Empty description="您的账户没有可查看的组织" />
      ) : (
        <div style={{ background: '#fff', padding: '8px 4px', borderRadius: 8 }}>
          <Tree<OrgNode>
            className="lx-tree"
            aria-label="组织架构树"
            treeData={nodes}
            loadData={loadData}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys.map(String))}
            selectable={false}
            blockNode
            titleRender={(n) => (
              <Link to={`/orgs/${encodeURIComponent(n.key)}`}>
                <span style={{ fontSize: 16 }}>{n.name}</span>
                <Typography.Text type="secondary">{orgLevelLabels[n.level]}</Typography.Text>
              </Link>
            )}
          />
        </div>
      )}
    </section>
  );
}
