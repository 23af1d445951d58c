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
  { to: '/orgs', label: '组织架构' },
  { to: '/search', label: '搜索' },
  { to: '/roster', label: '党员名册', ability: 'roster.read' },
  { to: '/audit', label: '审计查询', ability: 'audit.read' },
  { to: '/accounts', label: '账号管理', ability: 'accounts.manage' },
  { to: '/settings', label: '设置', ability: 'settings.manage' },
  { to: '/system', label: '系统维护', ability: 'system.admin' },
];

export function visibleNav(me: Me): NavEntry[] {
  return navEntries.filter((e) => !e.ability || me.abilities.includes(e.ability));
}
