import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { abilitiesOf, orgReadRoots, registryRoots, within } from '../auth/scope.ts';

/**
 * Grids are read by the registry's readers of the village and managed by the roles holding `grids.manage` (the
 * village's secretary, its town, the office) within their own scope: the same list /me gives the web, so a page
 * never offers what the server refuses. Outside the caller's tree → 404; inside it without the role → 403.
 */
export function manageRoots(grants: Grant[]): string[] {
  return orgReadRoots(grants.filter((g) => abilitiesOf([g]).includes('grids.manage')));
}

export function canManage(grants: Grant[], villagePath: string): boolean {
  return within(villagePath, manageRoots(grants));
}

export function assertVisible(grants: Grant[], villagePath: string): void {
  if (!within(villagePath, orgReadRoots(grants))) throw errors.notFound();
}

export function assertRead(grants: Grant[], villagePath: string): void {
  assertVisible(grants, villagePath);
  if (!within(villagePath, registryRoots(grants, 'read'))) throw errors.forbidden('当前角色无权查看网格');
}

export function assertManage(grants: Grant[], villagePath: string): void {
  assertVisible(grants, villagePath);
  if (!canManage(grants, villagePath)) throw errors.forbidden('当前角色无权管理网格');
}
