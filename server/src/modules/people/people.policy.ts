import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

/**
 * 党员名册 scopes — the registry's (abilities roster.read / roster.write): read by office (zone), town, secretary and
 * leader (their subtree); write and reveal by office, town and secretary. Member, department and admin: 403 (admin
 * never reads personal data). Outside the scope an object is 404.
 */
export function readRoots(grants: Grant[]): string[] {
  const roots = registryRoots(grants, 'read');
  if (!roots.length) throw errors.forbidden('当前角色无权查看党员名册');
  return roots;
}

export function personAbilities(grants: Grant[], orgPath: string) {
  return { update: within(orgPath, registryRoots(grants, 'write')), reveal: within(orgPath, registryRoots(grants, 'reveal')) };
}

/** Write or reveal on someone the caller can read but not change (a leader): 403. */
export function assertCan(grants: Grant[], action: 'write' | 'reveal', orgPath: string): void {
  if (!within(orgPath, registryRoots(grants, action))) {
    throw errors.forbidden(action === 'reveal' ? '没有查看完整号码的权限' : '没有修改党员名册的权限');
  }
}
