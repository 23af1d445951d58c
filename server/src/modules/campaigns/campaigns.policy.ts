import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { abilitiesOf, isWithin, orgReadRoots, within } from '../auth/scope.ts';

/**
 * Campaigns are read by the holders of `campaigns.read` (office, town, secretary, leader) and created or closed by those
 * of `campaigns.manage` (office, town), each within their own scope. A campaign is visible when its scope is inside the
 * caller's, or contains it (a village's secretary follows the zone's round for their village). Outside → 404; visible
 * without the role → 403.
 */
function rootsWith(grants: Grant[], ability: 'campaigns.read' | 'campaigns.manage'): string[] {
  return orgReadRoots(grants.filter((g) => abilitiesOf([g]).includes(ability)));
}

export const readRoots = (grants: Grant[]) => rootsWith(grants, 'campaigns.read');
export const manageRoots = (grants: Grant[]) => rootsWith(grants, 'campaigns.manage');

export function canManage(grants: Grant[], orgPath: string): boolean {
  return within(orgPath, manageRoots(grants));
}

/** The org (path) whose figures the caller sees of a campaign: the campaign's scope, or their own part of it. */
export function viewPath(grants: Grant[], campaignPath: string): string | null {
  const roots = readRoots(grants);
  if (within(campaignPath, roots)) return campaignPath;
  return roots.filter((r) => isWithin(r, campaignPath)).sort()[0] ?? null;
}

export function assertVisible(grants: Grant[], campaignPath: string): string {
  const path = viewPath(grants, campaignPath);
  if (!path) throw errors.notFound('走访活动不存在或无权查看');
  return path;
}

/** An org of the drill-down: inside the campaign's scope and inside what the caller reads. */
export function assertOrgVisible(grants: Grant[], campaignPath: string, orgPath: string): void {
  if (!isWithin(orgPath, campaignPath) || !within(orgPath, readRoots(grants))) throw errors.notFound('该组织不在本次走访范围内或无权查看');
}

/** Creating over an org: 404 outside the caller's tree, 403 inside it without campaigns.manage there. */
export function assertManage(grants: Grant[], orgPath: string): void {
  if (!within(orgPath, orgReadRoots(grants))) throw errors.notFound();
  assertManageVisible(grants, orgPath);
}

/** Closing a campaign the caller already sees (assertVisible): 403 unless they manage its whole scope. */
export function assertManageVisible(grants: Grant[], orgPath: string): void {
  if (!canManage(grants, orgPath)) throw errors.forbidden('当前角色无权发起或结束走访活动');
}
