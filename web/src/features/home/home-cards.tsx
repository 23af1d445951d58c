import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Descriptions, Flex, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { HomeBreakdownRow, Me } from '@lianxin/contracts';
import { navEntries } from '../../app/navigation.ts';
import { kindLabels, percent } from '../coverage/coverage-labels.ts';
import { roleLabels } from '../orgs/org-labels.ts';
import { CardFrame, CardLink, Figure, HomeCard, orgPath, ShareBar, type HomeCardProps } from './home-card.tsx';
import {
  homeAccountsQuery, homeBreakdownQuery, homeDepartmentQuery, homeImportsQuery, homeMemberLoadsQuery,
  homeMembersWithoutAccountsQuery, homeUnlinkedQuery,
} from './home-queries.ts';

/** The page of another feature, when it is in the navigation for this caller (it may not be built yet). */
const navTo = (me: Me, ability: NonNullable<(typeof navEntries)[number]['ability']>) =>
  navEntries.find((e) => e.ability === ability && me.abilities.includes(ability));

/** 未联系对象: the village's constituents without a member, by kind; leads to 联户覆盖 where they are assigned. */
export function UnlinkedCard() {
  const q = useQuery(homeUnlinkedQuery());
  return (
    <HomeCard title="未联系的住户和企业商户" query={q}>
      {(d) => (
        <>
          <Flex gap={16} wrap style={{ marginBottom: 8 }}>
            <Figure value={d.unlinked} label={`未联系（共 ${d.total}）`} warn={d.unlinked > 0} />
            {d.byKind.households > 0 && <Figure value={d.byKind.households} label={`${kindLabels.household}`} />}
            {d.byKind.enterprises > 0 && <Figure value={d.byKind.enterprises} label={kindLabels.enterprise} />}
            {d.byKind.shops > 0 && <Figure value={d.byKind.shops} label={kindLabels.shop} />}
            {d.byKind.teams > 0 && <Figure value={d.byKind.teams} label={kindLabels.team} />}
          </Flex>
          {d.unlinked === 0 && <Typography.Paragraph type="secondary">全部住户和企业商户都已有联户党员。</Typography.Paragraph>}
          <CardLink to={orgPath(d.org.code, 'coverage')}>{d.unlinked > 0 ? '去分配联户党员' : '查看联户覆盖'}</CardLink>
        </>
      )}
    </HomeCard>
  );
}

/** Members outside the target load (households as primary member). */
export function MemberLoadsCard() {
  const q = useQuery(homeMemberLoadsQuery());
  return (
    <HomeCard title="联户数不合适的党员" query={q}>
      {(d) => (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            目标：每名党员联系 {d.target.min}–{d.target.max} 户（共 {d.members} 名党员）
          </Typography.Paragraph>
          <Flex gap={16} wrap style={{ marginBottom: 8 }}>
            <Figure value={d.over} label="超过目标" warn={d.over > 0} />
            <Figure value={d.under} label="低于目标" />
          </Flex>
          {d.overList.length + d.underList.length > 0 && (
            <Flex gap={4} wrap style={{ marginBottom: 8 }}>
              {d.overList.map((m) => <Tag key={m.id} color="red">{m.name} {m.load} 户</Tag>)}
              {d.underList.map((m) => <Tag key={m.id} color="blue">{m.name} {m.load} 户</Tag>)}
            </Flex>
          )}
          {d.over + d.under === 0 && <Typography.Paragraph type="secondary">每名党员的联户数都在目标之内。</Typography.Paragraph>}
          <CardLink to={orgPath(d.org.code, 'coverage')}>调整联户</CardLink>
        </>
      )}
    </HomeCard>
  );
}

/** Current members with no account yet: they cannot record their visits until one is opened. */
export function MembersWithoutAccountsCard({ me }: HomeCardProps) {
  const q = useQuery(homeMembersWithoutAccountsQuery());
  const accounts = navTo(me, 'accounts.manage');
  return (
    <HomeCard title="未开通账号的党员" query={q}>
      {(d) => (
        <>
          <Flex gap={16} wrap style={{ marginBottom: 8 }}>
            <Figure value={d.withoutAccount} label={`未开通（共 ${d.members} 名党员）`} warn={d.withoutAccount > 0} />
          </Flex>
          {d.names.length > 0 ? (
            <Typography.Paragraph>
              {d.names.join('、')}{d.withoutAccount > d.names.length ? ` 等 ${d.withoutAccount} 人` : ''}
            </Typography.Paragraph>
          ) : (
            <Typography.Paragraph type="secondary">在册党员都已开通账号。</Typography.Paragraph>
          )}
          {accounts && d.withoutAccount > 0 && <CardLink to={accounts.to}>去开通账号</CardLink>}
        </>
      )}
    </HomeCard>
  );
}

const jobStatus = { queued: ['排队中', 'default'], validating: ['检查中', 'processing'], merging: ['写入中', 'processing'], failed: ['失败', 'error'], done: ['完成', 'success'] } as const;
const importKindLabels = { households: '住户导入', links: '联户关系导入', businesses: '企业商户导入', members: '党员导入' } as const;

/** Imports waiting, and failed ones not yet redone (14 days). */
export function ImportsCard() {
  const q = useQuery(homeImportsQuery());
  return (
    <HomeCard title="导入任务" query={q}>
      {(d) => (
        <>
          <Flex gap={16} wrap style={{ marginBottom: 8 }}>
            <Figure value={d.waiting} label="进行中" />
            <Figure value={d.failed} label="失败待重做" warn={d.failed > 0} />
          </Flex>
          {d.jobs.length === 0 ? (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>没有进行中或失败待重做的导入。</Typography.Paragraph>
          ) : (
            <List
              size="small"
              dataSource={d.jobs}
              renderItem={(j) => {
                const at = j.orgCode ?? d.org.code;
                const to = j.kind === 'households' ? `${orgPath(at, 'households/import')}?job=${j.id}` : `${orgPath(at, `import/${j.kind}`)}?job=${j.id}`;
                return (
                  <List.Item key={j.id} style={{ padding: '0 4px' }}>
                    <Link to={to} className="lx-block-link" style={{ justifyContent: 'space-between', gap: 8 }}>
                      <span style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{importKindLabels[j.kind]} · {j.fileName}</span>
                      <Tag color={jobStatus[j.status][1]}>{jobStatus[j.status][0]}</Tag>
                    </Link>
                  </List.Item>
                );
              }}
            />
          )}
        </>
      )}
    </HomeCard>
  );
}

const shareColor = (share: number) => (share <= 0.05 ? '#389e0d' : share <= 0.2 ? '#d48806' : '#c8161d');

function BreakdownItem({ r }: { r: HomeBreakdownRow }) {
  const problems = [
    r.unlinked > 0 && `未联系 ${r.unlinked}（${percent(r.unlinkedShare)}）`,
    r.withoutAccount > 0 && `未开通账号 ${r.withoutAccount}`,
    r.membersOver > 0 && `超负荷党员 ${r.membersOver}`,
    r.importsFailed > 0 && `导入失败 ${r.importsFailed}`,
    r.importsWaiting > 0 && `导入进行中 ${r.importsWaiting}`,
  ].filter(Boolean);
  // Nothing registered yet is not "all linked": the row says so, and its bar stays empty.
  const empty = r.total === 0;
  return (
    <Link to={orgPath(r.code)} className="lx-block-link" style={{ flexDirection: 'column', alignItems: 'stretch', gap: 4 }}>
      <Flex justify="space-between" gap={8}>
        <span style={{ fontSize: 16, fontWeight: 500 }}>{r.name}</span>
        <Typography.Text type="secondary">{empty ? '未登记' : `覆盖 ${percent(1 - r.unlinkedShare)}`} ›</Typography.Text>
      </Flex>
      <ShareBar share={empty ? 0 : 1 - r.unlinkedShare} color={shareColor(r.unlinkedShare)} />
      <Typography.Text type={problems.length ? undefined : 'secondary'}>
        {problems.length ? problems.join(' · ') : empty ? '尚未登记住户和企业商户' : `共 ${r.total} 户/家，全部已联系`}
      </Typography.Text>
    </Link>
  );
}

/** How many rows the breakdown shows before 显示全部: the worst ones are what the page is for. */
const BREAKDOWN_ROWS = 10;

const hasProblem = (r: HomeBreakdownRow) => r.unlinked + r.withoutAccount + r.membersOver + r.importsFailed + r.importsWaiting > 0;

/** Every village of a town (or town of the zone), worst first; each row opens that org. */
export function BreakdownCard() {
  const q = useQuery(homeBreakdownQuery());
  const [all, setAll] = useState(false);
  const unit = q.data?.rows[0]?.level === 'town' ? '镇（街道）' : '村（社区）';
  return (
    <HomeCard title={`各${unit}情况`} query={q} extra={q.data && <Typography.Text type="secondary">问题多的在前</Typography.Text>}>
      {(d) => d.rows.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{d.org.name}下没有村（社区）。</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            共 {d.rows.length} 个{unit}，{d.rows.filter(hasProblem).length} 个有待处理的事
          </Typography.Paragraph>
          <List
            size="small"
            dataSource={all ? d.rows : d.rows.slice(0, BREAKDOWN_ROWS)}
            renderItem={(r) => <List.Item key={r.code} style={{ padding: '4px 0' }}><BreakdownItem r={r} /></List.Item>}
          />
          {!all && d.rows.length > BREAKDOWN_ROWS && (
            <Button block onClick={() => setAll(true)} style={{ marginTop: 8 }}>显示全部 {d.rows.length} 个{unit}</Button>
          )}
        </>
      )}
    </HomeCard>
  );
}

/** The department's own card: who it is and how it is reached. Matters come with the matters issue. */
export function DepartmentCard() {
  const q = useQuery(homeDepartmentQuery());
  return (
    <HomeCard title="本部门" query={q}>
      {(d) => d.departments.map((o) => (
        <div key={o.code}>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'name', label: '部门', children: o.name },
              ...(o.parentName ? [{ key: 'parent', label: '所属', children: o.parentName }] : []),
              ...(o.partyName ? [{ key: 'party', label: '党组织', children: o.partyName }] : []),
              { key: 'phone', label: '对外联系电话', children: o.publicPhone ?? '未登记' },
              { key: 'members', label: '在册党员', children: `${o.members} 名` },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            民情事项办理上线后，交办或抄送到本部门的事项将在这里显示。
          </Typography.Paragraph>
          <CardLink to={orgPath(o.code)}>查看本部门</CardLink>
        </div>
      ))}
    </HomeCard>
  );
}

/** Accounts at a glance (counts only): what an administrator checks first. */
export function AccountsCard({ me }: HomeCardProps) {
  const q = useQuery(homeAccountsQuery());
  const manage = navTo(me, 'accounts.manage');
  return (
    <HomeCard title="账号概况" query={q}>
      {(d) => (
        <>
          <Flex gap={16} wrap style={{ marginBottom: 8 }}>
            <Figure value={d.total} label="账号" />
            <Figure value={d.disabled} label="已停用" />
            <Figure value={d.neverLoggedIn} label="从未登录" />
            <Figure value={d.mustChangePassword} label="待修改初始密码" />
          </Flex>
          <Flex gap={4} wrap style={{ marginBottom: 8 }}>
            {d.byRole.map((r) => <Tag key={r.role}>{roleLabels[r.role]} {r.accounts}</Tag>)}
          </Flex>
          {manage && <CardLink to={manage.to}>账号管理</CardLink>}
        </>
      )}
    </HomeCard>
  );
}

/** Where an administrator's work is: the pages their abilities open (only those built and in the navigation). */
export function AdminLinksCard({ me }: HomeCardProps) {
  const pages = (['accounts.manage', 'settings.manage', 'audit.read', 'system.admin'] as const)
    .map((a) => navTo(me, a))
    .filter((e): e is NonNullable<typeof e> => !!e);
  if (!pages.length) return null;
  return (
    <CardFrame title="系统管理">
      {pages.map((e) => <CardLink key={e.to} to={e.to}>{e.label}</CardLink>)}
    </CardFrame>
  );
}
