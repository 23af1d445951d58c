import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}

export function householdAbilities(grants: Grant[], orgPath: string) {
  return { update: within(orgPath, registryRoots(grants, 'write')), reveal: within(orgPath, registryRoots(grants, 'reveal')) };
}

/** Reading anything in the registry needs a registry role; without one the whole domain is forbidden. */
export function assertRegistryRole(grants: Grant[]): void {
  if (!readRoots(grants).length) throw errors.forbidden('当前角色无权查看住户和居民信息');
}

/** Write or reveal on a record the caller can read but not change: 403; on one they cannot see: the caller got 404 before. */
export function assertCan(grants: Grant[], action: 'write' | 'reveal', orgPath: string): void {
  if (!within(orgPath, registryRoots(grants, action))) {
    throw errors.forbidden(action === 'reveal' ? '没有查看完整号码的权限' : '没有修改此住户的权限');
  }
}
