import { useQuery } from '@tanstack/react-query';
import { Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { CardLink, HomeCard } from '../home/home-card.tsx';
import { CampaignFigureBars } from './campaign-figures.tsx';
import { dayLabel } from './campaign-labels.ts';
import { campaignListQuery } from './campaign-queries.ts';

/** How many open campaigns the card shows; the rest are one tap away on 集中走访. */
const SHOWN = 3;

/** 集中走访进度: the open campaigns of the caller's scope (their part of each), with both figures. */
export function CampaignProgressCard() {
  const q = useQuery(campaignListQuery('open'));
  return (
    <HomeCard title="集中走访进度" query={q}>
      {(d) => (
        <>
          {d.data.length === 0 ? (
            <Typography.Paragraph type="secondary">目前没有进行中的集中走访。</Typography.Paragraph>
          ) : (
            <Flex vertical gap={12} style={{ marginBottom: 8 }}>
              {d.data.slice(0, SHOWN).map((c) => (
                <div key={c.id}>
                  <Link to={`/campaigns/${c.id}`} className="lx-block-link" style={{ justifyContent: 'space-between', gap: 8 }}>
                    <span style={{ fontSize: 16, fontWeight: 500 }}>{c.name}</span>
                    <Typography.Text type="secondary">{dayLabel(c.deadline)}截止 ›</Typography.Text>
                  </Link>
                  <CampaignFigureBars f={c.figures} label={c.name} compact />
                </div>
              ))}
            </Flex>
          )}
          <CardLink to="/campaigns">{d.data.length > SHOWN ? `全部 ${d.data.length} 个进行中的集中走访` : '查看集中走访'}</CardLink>
        </>
      )}
    </HomeCard>
  );
}
