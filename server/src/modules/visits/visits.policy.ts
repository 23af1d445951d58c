import type { Grant } from '../auth/scope.ts';
import { isWithin, registryRoots, within } from '../auth/scope.ts';
import { errors } from '../../errors.ts';

/**
 * Who records and reads visits. Recording (visits.record): members and secretaries, for the constituents of their
 * branch or those they are linked to; 代录 (visits.proxy): a secretary for a member of their branch. Reading: the visit's
 * person or whoever entered it, the registry's readers in scope (office, town, secretary, leader), and a member holding
 * a link to the constituent (the history of the households they keep). Outside all of that → 404.
 */
const RECORD_ROLES = new Set(['member', 'secretary']);

export function assertCanRecord(grants: Grant[]): void {
  if (!grants.some((g) => RECORD_ROLES.has(g.role))) throw errors.forbidden('当前角色不能记录走访');
}

/** The branches a caller records in (their own org for members and secretaries). */
export function recordRoots(grants: Grant[]): string[] {
  return grants.filter((g) => RECORD_ROLES.has(g.role)).map((g) => g.orgPath);
}

export function canProxy(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'secretary');
}

/** 代录 for this person: a secretary whose org contains the person's branch. */
export function canProxyFor(grants: Grant[], personOrgPath: string): boolean {
  return grants.some((g) => g.role === 'secretary' && isWithin(personOrgPath, g.orgPath));
}

export function readsRegistry(grants: Grant[], orgPath: string): boolean {
  return within(orgPath, registryRoots(grants, 'read'));
}
