import { useQuery } from '@tanstack/react-query';
import { Flex, Typography } from 'antd';
import { CardLink, Figure, HomeCard } from '../home/home-card.tsx';
import { CompareBars } from './compare-bars.tsx';
import { changeColor, changeText, pct } from './rule-labels.ts';
import { completionQuery } from './rule-queries.ts';

/** The lowest rows the card names; the full list is on 走访完成率. */
const SHOWN = 3;

/** 走访完成率: this month against last month for the caller's scope, and the towns, villages or members furthest behind. */
export function VisitCompletionCard() {
  const q = useQuery(completionQuery(null, null));
  return (
    <HomeCard title="本月走访完成率" query={q}>
      {(d) => {
        const worst = d.children.filter((r) => r.current.percent !== null)
          .sort((a, b) => a.current.percent! - b.current.percent!).slice(0, SHOWN);
        return (
          <>
            <Flex gap={16} wrap align="end" style={{ marginBottom: 8 }}>
              <Figure value={pct(d.self.current.percent)} label={`${d.org.name}本月`} />
              <Figure value={pct(d.self.previous.percent)} label="上月" />
              {d.self.change !== null && <Typography.Text style={{ color: changeColor(d.self.change), fontSize: 16 }}>{changeText(d.self.change)}</Typography.Text>}
            </Flex>
            {worst.length > 0 && (
              <>
                <Typography.Text type="secondary">完成率最低：</Typography.Text>
                {worst.map((r) => (
                  <div key={r.code ?? r.personId} style={{ marginTop: 4 }}>
                    <Typography.Text>{r.name}</Typography.Text>
                    <CompareBars current={r.current.percent} previous={r.previous.percent} change={r.change} label={r.name} />
                  </div>
                ))}
              </>
            )}
            <CardLink to="/visit-completion">查看各级走访完成率</CardLink>
          </>
        );
      }}
    </HomeCard>
  );
}
