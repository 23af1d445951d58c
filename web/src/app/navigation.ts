import type { Ability, Me } from '@lianxin/contracts';

/**
 * The main navigation: one entry per feature, shown when the caller has its ability (from /me, computed by the
 * server). A feature adds its page here and in the router — nothing else.
 */
export interface NavEntry {
  to: string;
  label: string;
  /** Shown only with this ability; none = every signed-in user. */
  ability?: Ability;
}

export const navEntries: NavEntry[] = [
  { to: '/', label: '工作台' },
  { to: '/orgs', label: '组织架构' },
  { to: '/search', label: '搜索' },
  { to: '/handbook', label: '工作手册', ability: 'visits.record' },
  { to: '/roster', label: '党员名册', ability: 'roster.read' },
  { to: '/campaigns', label: '集中走访', ability: 'campaigns.read' },
  { to: '/visit-completion', label: '走访完成率', ability: 'campaigns.read' },
  { to: '/audit', label: '审计查询', ability: 'audit.read' },
  { to: '/accounts', label: '账号管理', ability: 'accounts.manage' },
  { to: '/settings', label: '设置', ability: 'settings.manage' },
  { to: '/system', label: '系统维护', ability: 'system.admin' },
];

/** The home's name: 我的联户 for a member (their home is their own links), 工作台 for everyone else. */
export function homeTitle(me: Me): string {
  return me.roles.every((r) => r.role === 'member') ? '我的联户' : '工作台';
}

/** The entry of the current page: home only at `/`, any other entry for its own path and the pages below it. */
export function currentNav(entries: NavEntry[], pathname: string): string | undefined {
  if (pathname === '/') return '/';
  return entries.filter((e) => e.to !== '/' && (pathname === e.to || pathname.startsWith(`${e.to}/`)))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
}

export function visibleNav(me: Me): NavEntry[] {
  return navEntries
    .filter((e) => !e.ability || me.abilities.includes(e.ability))
    .map((e) => (e.to === '/' ? { ...e, label: homeTitle(me) } : e));
}
