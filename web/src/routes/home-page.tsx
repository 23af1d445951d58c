import { Suspense } from 'react';
import { Col, Row, Skeleton, Typography } from 'antd';
import { Link, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { roleLabels } from '../features/orgs/org-labels.ts';
import { homeTitle } from '../app/navigation.ts';
import { visibleCards } from '../features/home/home-registry.ts';

/**
 * `/`: each role's own work (工作台; 我的联户 for a member), as cards from the registry. Each card loads on its own, so
 * a slow or failing one leaves the others standing. One column on a phone, two on a desktop.
 */
export function HomePage() {
  const me = useRouteLoaderData('shell') as Me;
  const cards = visibleCards(me);

  return (
    <article aria-labelledby="home-title">
      <PageTitle id="home-title" style={{ marginBottom: 4 }}>{homeTitle(me)}</PageTitle>
      {/* Where the caller works, each org a way to its page (the org card that used to be home). */}
      <Typography.Paragraph type="secondary">
        {me.roles.map((r, i) => (
          <span key={`${r.role}-${r.orgCode}`}>
            {i > 0 && '、'}
            <Link to={`/orgs/${encodeURIComponent(r.orgCode)}`} className="lx-tap" style={{ textDecoration: 'underline' }}>{r.orgName}</Link> · {roleLabels[r.role]}
          </span>
        ))}
      </Typography.Paragraph>
      {cards.length === 0 ? (
        <Typography.Paragraph>请从菜单进入组织架构或搜索。</Typography.Paragraph>
      ) : (
        <Row gutter={[12, 12]}>
          {cards.map(({ id, wide, quiet, Component }) => (
            <Col key={id} xs={24} lg={wide ? 24 : 12}>
              {/* The fallback has the card's own frame (its head is min-height: no title yet): the card's loading state
                  then takes exactly its place, and the cards below do not jump. */}
              <Suspense fallback={quiet ? null : (
                <div className="lx-card" aria-busy="true">
                  <div className="lx-card-head" />
                  <div className="lx-card-body"><Skeleton active paragraph={{ rows: 2 }} /></div>
                </div>
              )}>
                <Component me={me} />
              </Suspense>
            </Col>
          ))}
        </Row>
      )}
    </article>
  );
}
