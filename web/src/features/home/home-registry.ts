import { lazy, type ComponentType } from 'react';
import type { Ability, Me, Role } from '@lianxin/contracts';
import type { HomeCardProps } from './home-card.tsx';

/** A card whose code (and its antd components) loads only when a home shows it: a member's home loads no office card. */
function card<M>(load: () => Promise<M>, pick: (m: M) => ComponentType<HomeCardProps>): ComponentType<HomeCardProps> {
  return lazy(async () => ({ default: pick(await load()) }));
}
const cards = () => import('./home-cards.tsx');

/**
 * The cards of the home page, in page order. A card is shown when the caller holds one of its roles or its ability —
 * the same rule its endpoint applies (server/src/modules/home/home.policy.ts), so no role asks for a card it would be
 * refused. A later feature adds its card here: one component, one line (e.g. the visits issue's 今天 for members).
 * Each card's module loads only for a home that shows it (card()).
 */
export interface HomeCardEntry {
  id: string;
  roles?: readonly Role[];
  ability?: Ability;
  /** Takes the full width on a desktop (a list of villages); other cards sit two to a row. */
  wide?: boolean;
  /** Shows nothing while its code loads (a card that is often empty, and then not shown at all). */
  quiet?: boolean;
  Component: ComponentType<HomeCardProps>;
}

export const homeCards: HomeCardEntry[] = [
  { id: 'today', roles: ['member'], wide: true, Component: card(() => import('../visits/today-card.tsx'), (m) => m.TodayCard) },
  { id: 'offline-queue', roles: ['member', 'secretary'], wide: true, quiet: true, Component: card(() => import('../offline/offline-card.tsx'), (m) => m.OfflineQueueCard) },
  { id: 'my-links', roles: ['member'], wide: true, Component: card(() => import('./my-links-card.tsx'), (m) => m.MyLinksCard) },
  { id: 'unlinked', roles: ['secretary'], Component: card(cards, (m) => m.UnlinkedCard) },
  { id: 'member-loads', roles: ['secretary'], Component: card(cards, (m) => m.MemberLoadsCard) },
  { id: 'members-without-accounts', roles: ['secretary'], Component: card(cards, (m) => m.MembersWithoutAccountsCard) },
  { id: 'breakdown', roles: ['town', 'office', 'leader'], wide: true, Component: card(cards, (m) => m.BreakdownCard) },
  { id: 'campaign-progress', roles: ['secretary', 'town', 'office', 'leader'], Component: card(() => import('../campaigns/campaign-home-card.tsx'), (m) => m.CampaignProgressCard) },
  { id: 'visit-completion', roles: ['secretary', 'town', 'office', 'leader'], Component: card(() => import('../visit-rules/completion-home-card.tsx'), (m) => m.VisitCompletionCard) },
  { id: 'imports', roles: ['secretary', 'town', 'office'], Component: card(cards, (m) => m.ImportsCard) },
  { id: 'department', roles: ['department'], Component: card(cards, (m) => m.DepartmentCard) },
  { id: 'accounts', roles: ['admin', 'office'], Component: card(cards, (m) => m.AccountsCard) },
  { id: 'system-status', ability: 'system.admin', Component: card(() => import('../system/system-status-card.tsx'), (m) => m.SystemStatusCard) },
  { id: 'admin-links', ability: 'system.admin', Component: card(cards, (m) => m.AdminLinksCard) },
];

export function visibleCards(me: Me): HomeCardEntry[] {
  const roles = new Set(me.roles.map((r) => r.role));
  return homeCards.filter((c) => c.roles?.some((r) => roles.has(r)) || (c.ability && me.abilities.includes(c.ability)));
}
