import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

/** Businesses follow the registry's scopes (auth/scope.ts): read office/town/secretary/leader; write and reveal office/town/secretary. */
export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}

/** `readLinks`: may read the 联户党员 history (GET /api/v1/links?business=…) — registry readers, like the links module. */
export function businessAbilities(grants: Grant[], orgPath: string) {
  return {
    update: within(orgPath, registryRoots(grants, 'write')),
    reveal: within(orgPath, registryRoots(grants, 'reveal')),
    readLinks: within(orgPath, registryRoots(grants, 'read')),
  };
}

/** Without a registry role the whole domain is forbidden (member, department, admin). */
export function assertRegistryRole(grants: Grant[]): void {
  if (!readRoots(grants).length) throw errors.forbidden('当前角色无权查看企业和商户信息');
}

/** Write or reveal on a record the caller can read but not change: 403; on one they cannot see: the caller got 404 before. */
export function assertCan(grants: Grant[], action: 'write' | 'reveal', orgPath: string): void {
  if (!within(orgPath, registryRoots(grants, action))) {
    throw errors.forbidden(action === 'reveal' ? '没有查看完整号码的权限' : '没有修改此企业（商户）的权限');
  }
}
