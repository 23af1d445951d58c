import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin, registryRoots, within, ZONE_CODE } from '../auth/scope.ts';

/** Rules and completion are read by those who read the registry of a scope: office (zone), town, secretary, leader. */
export function readRoots(grants: Grant[], what: string): string[] {
  const roots = registryRoots(grants, 'read');
  if (!roots.length) throw errors.forbidden(`当前角色无权查看${what}`);
  return roots;
}

/**
 * Editing rules is the ability visits.rules: the office for the zone and everything under it, a town account for its
 * town and villages. Every other role gets [] (the caller decides between 403 and "not editable").
 */
export function writeRoots(grants: Grant[]): string[] {
  const roots = grants.flatMap((g) => (g.role === 'office' ? [ZONE_CODE] : g.role === 'town' ? [g.orgPath] : []));
  return roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o)));
}

/** 今天 of another person: a secretary for a member of their branch (代录 reads the same list). */
export function mayReadTodayOf(grants: Grant[], personOrgPath: string): boolean {
  return within(personOrgPath, grants.filter((g) => g.role === 'secretary').map((g) => g.orgPath));
}
