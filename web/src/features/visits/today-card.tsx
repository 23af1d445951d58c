import { useQuery } from '@tanstack/react-query';
import { HomeCard } from '../home/home-card.tsx';
import { TodayList } from './today-list.tsx';
import { todayQuery } from './visit-queries.ts';

/** The member's home starts with 今天: whom to visit, and one tap to record it. */
export function TodayCard() {
  const today = useQuery(todayQuery());
  return (
    <HomeCard title="今天" query={today}>
      {(t) => <TodayList today={t} />}
    </HomeCard>
  );
}
