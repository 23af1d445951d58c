import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { registryRoots, within, ZONE_CODE } from '../auth/scope.ts';

export function assertWrite(grants: Grant[], ...paths: string[]): void {
  const roots = registryRoots(grants, 'write');
  if (!roots.length) throw errors.forbidden('当前角色无权调整联户关系');
  for (const p of paths) if (!within(p, roots)) throw errors.forbidden('只能调整本范围内的联户关系');
}

export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}

/**
 * 目标联户数 is configuration of the settings ability (office, admin, town): office and admin read and set any org's
 * value, a town account its own town's and its villages'. Every other role: 403. Outside the roots: 404.
 */
export function targetLoadRoots(grants: Grant[]): string[] {
  const roots = grants.flatMap((g) => (g.role === 'office' || g.role === 'admin' ? [ZONE_CODE] : g.role === 'town' ? [g.orgPath] : []));
  if (!roots.length) throw errors.forbidden('当前角色无权设置目标联户数');
  return roots.filter((r) => !roots.some((o) => o !== r && within(r, [o])));
}
