import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { coverageRoots, registryRoots, within } from '../auth/scope.ts';

/** The link map is posted publicly (names only), so whoever may see the village's coverage may print it. */
export const mapRoots = coverageRoots;

/** Printing cards issues tokens and revokes old cards: a registry write (secretary, town, office) in scope. */
export function assertCardWrite(grants: Grant[], path: string): void {
  const roots = registryRoots(grants, 'write');
  if (!within(path, roots)) throw errors.forbidden('当前角色无权打印本村的联系卡');
}
