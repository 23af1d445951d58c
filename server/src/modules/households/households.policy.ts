import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}

/**
 * Who may read which households: registry readers by subtree; a member (党员) additionally the households linked to
 * them now — the people they visit — and nothing else of their village.
 */
export interface Reader { roots: string[]; personId: string | null; memberBranches: string[] }

export function readerOf(grants: Grant[], personId: string | null): Reader {
  const branches = grants.filter((g) => g.role === 'member').map((g) => g.orgPath);
  return { roots: readRoots(grants), personId: branches.length ? personId : null, memberBranches: branches };
}

/**
 * `linkedToCaller`: the caller is the household's member now — they may reveal phones (to call), nothing else.
 * `readLinks`: the 联户党员 history (GET /api/v1/links?household=…) is for registry readers of the subtree, the same
 * roots the links module reads with; a linked member reads the household, not who else linked it.
 */
export function householdAbilities(grants: Grant[], orgPath: string, linkedToCaller = false) {
  const reveal = within(orgPath, registryRoots(grants, 'reveal'));
  return {
    update: within(orgPath, registryRoots(grants, 'write')),
    reveal,
    revealPhone: reveal || linkedToCaller,
    readLinks: within(orgPath, registryRoots(grants, 'read')),
  };
}

/** Reading anything in the registry needs a registry role; without one the whole domain is forbidden. */
export function assertRegistryRole(reader: Reader): void {
  if (!reader.roots.length && !reader.personId) throw errors.forbidden('当前角色无权查看住户和居民信息');
}

export function assertAnyWrite(grants: Grant[]): void {
  if (!registryRoots(grants, 'write').length) throw errors.forbidden('当前角色无权登记或修改住户信息');
}

/** Write or reveal on a record the caller can read but not change: 403; on one they cannot see: the caller got 404 before. */
export function assertCan(grants: Grant[], action: 'write' | 'reveal', orgPath: string): void {
  if (!within(orgPath, registryRoots(grants, action))) {
    throw errors.forbidden(action === 'reveal' ? '没有查看完整号码的权限' : '没有修改此住户的权限');
  }
}

/**
 * The tag dictionary is zone-wide configuration: the project office and the administrator edit it; a town account
 * (which has the settings ability) reads it; others 403.
 */
export function tagEditor(grants: Grant[]): boolean {
  if (!grants.some((g) => g.role === 'office' || g.role === 'admin' || g.role === 'town')) throw errors.forbidden('当前角色无权查看标签字典设置');
  return grants.some((g) => g.role === 'office' || g.role === 'admin');
}

export function assertTagAdmin(grants: Grant[]): void {
  if (!grants.some((g) => g.role === 'office' || g.role === 'admin')) throw errors.forbidden('只有连心办和系统管理员可以维护标签字典');
}
