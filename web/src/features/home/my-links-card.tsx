import { useQuery } from '@tanstack/react-query';
import { Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { kindLabels } from '../coverage/coverage-labels.ts';
import { CardLink, Figure, HomeCard, orgPath } from './home-card.tsx';
import { homeMyLinksQuery } from './home-queries.ts';

/**
 * 我联系的: a member's own households and businesses, each a tap away. Its own module (a member's home loads only its
 * own cards, see home-registry.ts), and a plain list: antd's List brings Pagination and Select along.
 */
export function MyLinksCard() {
  const q = useQuery(homeMyLinksQuery());
  return (
    <HomeCard title="我联系的住户和企业商户" query={q}>
      {(d) => {
        const businesses = d.counts.enterprises + d.counts.shops + d.counts.teams;
        return (
          <>
            <Flex gap={16} wrap style={{ marginBottom: 8 }}>
              <Figure value={d.counts.households} label="住户" />
              <Figure value={businesses} label="企业商户" />
            </Flex>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              作为联户党员联系 {d.load} 户（目标 {d.target.min}–{d.target.max} 户）
            </Typography.Paragraph>
            {d.items.length === 0 ? (
              <Typography.Paragraph type="secondary">还没有分配给您的联系对象，请联系支部书记。</Typography.Paragraph>
            ) : (
              <ul className="lx-plain-list">
                {d.items.map((i) => (
                  <li key={i.householdId ?? i.businessId}>
                    <Link to={i.householdId ? `/households/${i.householdId}` : `/businesses/${i.businessId}`} className="lx-block-link" style={{ justifyContent: 'space-between', gap: 8 }}>
                      <span style={{ fontSize: 16 }}>{i.name}</span>
                      <Typography.Text type="secondary">{kindLabels[i.kind]}{i.role === 'helper' ? ' · 协助' : ''} ›</Typography.Text>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            {d.branch && (
              <>
                <CardLink to={orgPath(d.branch.code, 'households')}>我联系的全部住户</CardLink>
                {businesses > 0 && <CardLink to={orgPath(d.branch.code, 'businesses')}>我联系的全部企业商户</CardLink>}
              </>
            )}
          </>
        );
      }}
    </HomeCard>
  );
}
