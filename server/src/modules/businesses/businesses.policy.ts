import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

/** Businesses follow the registry's scopes (auth/scope.ts): read office/town/secretary/leader; write and reveal office/town/secretary. */
export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}

/**
 * Who may read which businesses: registry readers by subtree; a member (党员) additionally the businesses linked to
 * them now (enterprises, shops, teams they visit) — as for households — and nothing else of their village.
 */
export interface Reader { roots: string[]; personId: string | null; memberBranches: string[] }

export function readerOf(grants: Grant[], personId: string | null): Reader {
  const branches = grants.filter((g) => g.role === 'member').map((g) => g.orgPath);
  return { roots: readRoots(grants), personId: branches.length ? personId : null, memberBranches: branches };
}

/**
 * `linkedToCaller`: the caller is the business's member now — they may reveal the contact phone (to call), nothing else.
 * `readLinks`: may read the 联户党员 history (GET /api/v1/links?business=…) — registry readers, like the links module.
 */
export function businessAbilities(grants: Grant[], orgPath: string, linkedToCaller = false) {
  return {
    update: within(orgPath, registryRoots(grants, 'write')),
    reveal: within(orgPath, registryRoots(grants, 'reveal')) || linkedToCaller,
    readLinks: within(orgPath, registryRoots(grants, 'read')),
  };
}

/** Reading: a registry role, or a member (their linked businesses); department and admin are forbidden. */
export function assertReader(reader: Reader): void {
  if (!reader.roots.length && !reader.personId) throw errors.forbidden('当前角色无权查看企业和商户信息');
}

/** Registering and exporting need a registry role (member, department, admin: forbidden). */
export function assertRegistryRole(grants: Grant[]): void {
  if (!readRoots(grants).length) throw errors.forbidden('当前角色无权查看企业和商户信息');
}

/** Write or reveal on a record the caller can read but not change: 403; on one they cannot see: the caller got 404 before. */
export function assertCan(grants: Grant[], action: 'write' | 'reveal', orgPath: string): void {
  if (!within(orgPath, registryRoots(grants, action))) {
    throw errors.forbidden(action === 'reveal' ? '没有查看完整号码的权限' : '没有修改此企业（商户）的权限');
  }
}
