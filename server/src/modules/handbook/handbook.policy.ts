import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';

/**
 * Who reads a member's 工作手册: the member themself (their account's person), and whoever keeps the roster of their
 * branch — secretary, town, office (registry writers) in scope. Roles that can never read one (leader, department,
 * admin without a person of their own) get 403; anyone else asking about a person outside their reach gets 404, as if
 * the person did not exist.
 */
export function assertCanRead(grants: Grant[], callerPersonId: string | null, person: { id: string; org_path: string } | null): asserts person {
  const roots = registryRoots(grants, 'write');
  if (!roots.length && !callerPersonId) throw errors.forbidden('当前角色无权查看党员工作手册');
  if (!person) throw errors.notFound('人员不存在或无权查看');
  if (person.id === callerPersonId) return;
  if (!within(person.org_path, roots)) throw errors.notFound('人员不存在或无权查看');
}
