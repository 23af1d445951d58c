import type { Grant } from '../auth/scope.ts';
import { canReadPeople, isWithin } from '../auth/scope.ts';

/**
 * 一群 (a member's contact group): read by the member and by whoever reads people in the person's org (office, town,
 * secretary, leader in their subtree; members of the same branch — the group is what the branch hands out); changed
 * only by the member themself or the secretary of a branch that holds the person.
 */
export function contactGroupAccess(grants: Grant[], ownPersonId: string | null, person: { id: string; orgPath: string }) {
  const self = ownPersonId === person.id;
  const secretary = grants.some((g) => g.role === 'secretary' && isWithin(person.orgPath, g.orgPath));
  return { read: self || canReadPeople(grants, person.orgPath), write: self || secretary };
}
