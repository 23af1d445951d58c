import { Breadcrumb } from 'antd';
import { Link } from 'react-router';
import type { Org } from '@lianxin/contracts';

/**
 * 位置 of a page under an org: the org's ancestors and the org itself as links, then the page's own trail; the last
 * entry is the current page. One place for what every org-scoped page shows above its title.
 */
export function OrgBreadcrumb({ org, trail = [] }: { org: Pick<Org, 'code' | 'name' | 'shortName' | 'ancestors'>; trail?: { label: string; to?: string }[] }) {
  const orgLink = (code: string, name: string) => <Link to={`/orgs/${encodeURIComponent(code)}`}>{name}</Link>;
  const own = org.shortName || org.name;
  return (
    <nav aria-label="位置">
      <Breadcrumb
        className="lx-breadcrumb"
        items={[
          ...org.ancestors.map((a) => ({ key: a.code, title: orgLink(a.code, a.name) })),
          { key: org.code, title: trail.length ? orgLink(org.code, own) : <span aria-current="page">{own}</span> },
          ...trail.map((t, i) => ({
            key: `trail-${i}`,
            title: i === trail.length - 1 || !t.to ? <span aria-current={i === trail.length - 1 ? 'page' : undefined}>{t.label}</span> : <Link to={t.to}>{t.label}</Link>,
          })),
        ]}
      />
    </nav>
  );
}
