import type { Grant } from '../auth/scope.ts';
import { registryRoots } from '../auth/scope.ts';

/**
 * The org whose households and businesses lists hold every match of a search (for 查看全部): the caller's one registry
 * scope, or a member's branch (their list is 我联系的住户); null when the caller has several scopes or none.
 */
export function searchListOrg(grants: Grant[]): string | null {
  const roots = new Set([...registryRoots(grants, 'read'), ...grants.filter((g) => g.role === 'member').map((g) => g.orgPath)]);
  return roots.size === 1 ? [...roots][0]!.split('/').pop()! : null;
}
