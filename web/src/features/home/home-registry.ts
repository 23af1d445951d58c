import type { ComponentType } from 'react';
import type { Ability, Me, Role } from '@lianxin/contracts';
import {
  AccountsCard, AdminLinksCard, BreakdownCard, DepartmentCard, ImportsCard, MemberLoadsCard, MembersWithoutAccountsCard,
  MyLinksCard, UnlinkedCard, type HomeCardProps,
} from './home-cards.tsx';
import { SystemStatusCard } from '../system/system-status-card.tsx';
import { TodayCard } from '../visits/today-card.tsx';
import { OfflineQueueEntry } from '../offline/offline-entry.tsx';
import { CampaignProgressCard } from '../campaigns/campaign-home-card.tsx';
import { VisitCompletionCard } from '../visit-rules/completion-home-card.tsx';

/**
 * The cards of the home page, in page order. A card is shown when the caller holds one of its roles or its ability —
 * the same rule its endpoint applies (server/src/modules/home/home.policy.ts), so no role asks for a card it would be
 * refused. A later feature adds its card here: one component, one line (e.g. the visits issue's 今天 for members).
 */
export interface HomeCardEntry {
  id: string;
  roles?: readonly Role[];
  ability?: Ability;
  /** Takes the full width on a desktop (a list of villages); other cards sit two to a row. */
  wide?: boolean;
  Component: ComponentType<HomeCardProps>;
}

export const homeCards: HomeCardEntry[] = [
  { id: 'today', roles: ['member'], wide: true, Component: TodayCard },
  { id: 'offline-queue', roles: ['member', 'secretary'], wide: true, Component: OfflineQueueEntry },
  { id: 'my-links', roles: ['member'], wide: true, Component: MyLinksCard },
  { id: 'unlinked', roles: ['secretary'], Component: UnlinkedCard },
  { id: 'member-loads', roles: ['secretary'], Component: MemberLoadsCard },
  { id: 'members-without-accounts', roles: ['secretary'], Component: MembersWithoutAccountsCard },
  { id: 'breakdown', roles: ['town', 'office', 'leader'], wide: true, Component: BreakdownCard },
  { id: 'campaign-progress', roles: ['secretary', 'town', 'office', 'leader'], Component: CampaignProgressCard },
  { id: 'visit-completion', roles: ['secretary', 'town', 'office', 'leader'], Component: VisitCompletionCard },
  { id: 'imports', roles: ['secretary', 'town', 'office'], Component: ImportsCard },
  { id: 'department', roles: ['department'], Component: DepartmentCard },
  { id: 'accounts', roles: ['admin', 'office'], Component: AccountsCard },
  { id: 'system-status', ability: 'system.admin', Component: SystemStatusCard },
  { id: 'admin-links', ability: 'system.admin', Component: AdminLinksCard },
];

export function visibleCards(me: Me): HomeCardEntry[] {
  const roles = new Set(me.roles.map((r) => r.role));
  return homeCards.filter((c) => c.roles?.some((r) => roles.has(r)) || (c.ability && me.abilities.includes(c.ability)));
}
