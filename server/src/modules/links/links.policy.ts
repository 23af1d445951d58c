import type { Role } from '@lianxin/contracts';
import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin, registryRoots, within } from '../auth/scope.ts';

/** Coverage aggregates: registry readers in their subtree, plus members for their own branch (no personal data). */
export function coverageRoots(grants: Grant[]): string[] {
  const roots = [...registryRoots(grants, 'read'), ...grants.filter((g) => g.role === ('member' satisfies Role)).map((g) => g.orgPath)];
  return roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o)));
}

export function assertWrite(grants: Grant[], ...paths: string[]): void {
  const roots = registryRoots(grants, 'write');
  if (!roots.length) throw errors.forbidden('当前角色无权调整联户关系');
  for (const p of paths) if (!within(p, roots)) throw errors.forbidden('只能调整本范围内的联户关系');
}

export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}
