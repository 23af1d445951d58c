import type { Grant } from '../auth/scope.ts';
import { ZONE_CODE, abilitiesOf, isWithin, registryRoots } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

/**
 * Who reads which card. The village figures (unlinked constituents, member loads, members without accounts, the rows
 * per village or town) name members and count constituents: the registry readers (office, town, secretary, leader)
 * in their subtree. Imports are the registry writers' (the leader's home is read-only). Department and admin see no
 * personal data: those cards are 403 for them, as for a member, whose home is their own links.
 */
export function peopleRoots(grants: Grant[]): string[] {
  const roots = registryRoots(grants, 'read');
  if (!roots.length) throw errors.forbidden('当前角色无权查看村（社区）工作情况');
  return roots;
}

export function importRoots(grants: Grant[]): string[] {
  const roots = registryRoots(grants, 'write');
  if (!roots.length) throw errors.forbidden('当前角色无权查看导入任务');
  return roots;
}

/** Accounts are counted where the caller administers them: the zone (all accounts) or their own org's subtree. */
export function accountRoots(grants: Grant[]): string[] | null {
  if (!abilitiesOf(grants).includes('accounts.manage')) throw errors.forbidden('当前角色无权查看账号情况');
  const roots = grants.filter((g) => g.role === 'admin' || g.role === 'office' || g.role === 'town' || g.role === 'secretary')
    .map((g) => (g.role === 'admin' || g.role === 'office' ? ZONE_CODE : g.orgPath));
  if (roots.includes(ZONE_CODE)) return null;
  return roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o)));
}

export function departmentGrants(grants: Grant[]): Grant[] {
  const list = grants.filter((g) => g.role === 'department');
  if (!list.length) throw errors.forbidden('只有部门账号有部门工作台');
  return list;
}
