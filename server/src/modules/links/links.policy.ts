import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';

export function assertWrite(grants: Grant[], ...paths: string[]): void {
  const roots = registryRoots(grants, 'write');
  if (!roots.length) throw errors.forbidden('当前角色无权调整联户关系');
  for (const p of paths) if (!within(p, roots)) throw errors.forbidden('只能调整本范围内的联户关系');
}

export function readRoots(grants: Grant[]): string[] {
  return registryRoots(grants, 'read');
}
