import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Skeleton, Typography } from 'antd';
import { useRouteLoaderData, useSearchParams } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { MemberPicker } from '../features/coverage/member-picker.tsx';
import { TodayList } from '../features/visits/today-list.tsx';
import { todayQuery } from '../features/visits/visit-queries.ts';

/**
 * 今天 (`/today`): the caller's own list — or, with `?person=`, a member of the secretary's branch, for 代录 from
 * the member's paper notebook: pick the member, then 记录走访 on a row records on their behalf.
 */
export function TodayPage() {
  const me = useRouteLoaderData('shell') as Me;
  const [params, setParams] = useSearchParams();
  const person = params.get('person') ?? undefined;
  const today = useQuery(todayQuery(person));
  // The secretary's branch: where the members they may record for are.
  const branch = me.abilities.includes('visits.proxy') ? me.roles.find((r) => r.role === 'secretary')?.orgCode : undefined;

  return (
    <article aria-labelledby="today-title">
      <PageTitle id="today-title" style={{ marginBottom: 8 }}>
        {person ? `代录走访${today.data ? `：${today.data.person.name}` : ''}` : '今天'}
      </PageTitle>
      {branch && (
        <div style={{ marginBottom: 12 }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            代录：按党员的走访记录本，替本支部党员补记走访，算在该党员名下。
          </Typography.Paragraph>
          <MemberPicker
            org={branch}
            label="代录哪位党员的走访"
            placeholder="选择党员"
            value={person}
            onChange={(id) => setParams({ person: id })}
            style={{ width: '100%', maxWidth: 360 }}
          />
          {person && <Button type="link" onClick={() => setParams({})} style={{ paddingInline: 0 }}>回到我自己的今天</Button>}
        </div>
      )}
      {today.isPending ? (
        <Skeleton active />
      ) : today.isError && branch && !person && isApiError(today.error) && today.error.status < 500 ? (
        // A secretary without links of their own: nothing to show until they pick a member.
        <Typography.Paragraph>请选择要代录的党员。</Typography.Paragraph>
      ) : today.isError ? (
        person ? (
          <UnavailableResult error={today.error} title="未找到或无权查看" text="该党员不在您的支部，或没有联系的住户。" />
        ) : (
          <Alert type="error" showIcon title="暂时无法加载" description={today.error.message} action={<Button onClick={() => today.refetch()}>重试</Button>} />
        )
      ) : (
        <TodayList today={today.data} person={person} />
      )}
    </article>
  );
}
