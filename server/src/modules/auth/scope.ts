import type { Ability, Role } from '@lianxin/contracts';
import { isWithin } from '../../lib/paths.ts';

// The path tests are plain path arithmetic, so they live in lib/ (lib/xlsx-export.ts needs them too); modules keep
// reading them here, beside the scopes they are used with.
export { isWithin, within } from '../../lib/paths.ts';

export interface Grant {
  role: Role;
  orgId: string;
  orgCode: string;
  orgName: string;
  orgLevel: string;
  orgPath: string;
}

/** The root of the zone's path: office, department and admin read the whole tree from here. */
export const ZONE_CODE = '419001000000';

/**
 * Which subtrees of the org tree a caller may read (../shared/ARCHITECTURE.md "Scopes by role"):
 * office, department (org names only) and admin (configuration) see the zone; town, secretary and leader their own
 * org's subtree; member their own branch. The result is a list of path prefixes.
 */
export function orgReadRoots(grants: Grant[]): string[] {
  const roots = new Set<string>();
  for (const g of grants) {
    if (g.role === 'office' || g.role === 'department' || g.role === 'admin') roots.add(ZONE_CODE);
    else roots.add(g.orgPath);
  }
  // Drop roots already covered by a wider one.
  const list = [...roots];
  return list.filter((r) => !list.some((o) => o !== r && isWithin(r, o)));
}

/** Roles that may see personal data (people, households) inside their org scope. */
const PEOPLE_ROLES: ReadonlySet<Role> = new Set(['office', 'town', 'secretary', 'leader', 'member']);
/** Roles that may restructure the tree (rename, move, merge) inside their scope. */
const ORG_ADMIN_ROLES: ReadonlySet<Role> = new Set(['office', 'admin']);

export function canReadPeople(grants: Grant[], path: string): boolean {
  return grants.some((g) => PEOPLE_ROLES.has(g.role) && isWithin(path, scopeRootOf(g)));
}

export function canUpdateOrg(grants: Grant[], path: string): boolean {
  return grants.some((g) => ORG_ADMIN_ROLES.has(g.role) && isWithin(path, scopeRootOf(g)));
}

function scopeRootOf(g: Grant): string {
  return g.role === 'office' || g.role === 'department' || g.role === 'admin' ? ZONE_CODE : g.orgPath;
}

/**
 * Personal-data scopes for the registry (households, residents). Reading: office (zone), town, secretary, leader
 * (their org's subtree). Writing and revealing full ID numbers/phones: office, town, secretary. Members see their
 * own linked constituents once links exist; departments and admin see no personal data.
 */
export type RegistryAction = 'read' | 'write' | 'reveal';
const REGISTRY_ROLES: Record<RegistryAction, ReadonlySet<Role>> = {
  read: new Set(['office', 'town', 'secretary', 'leader']),
  write: new Set(['office', 'town', 'secretary']),
  reveal: new Set(['office', 'town', 'secretary']),
};

export function registryRoots(grants: Grant[], action: RegistryAction): string[] {
  const roots = grants.filter((g) => REGISTRY_ROLES[action].has(g.role)).map(scopeRootOf);
  return roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o)));
}

/** Coverage aggregates: registry readers in their subtree, plus members for their own branch (no personal data). */
export function coverageRoots(grants: Grant[]): string[] {
  const roots = [...registryRoots(grants, 'read'), ...grants.filter((g) => g.role === ('member' satisfies Role)).map((g) => g.orgPath)];
  return roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o)));
}

/**
 * The caller's abilities (contracts `abilities`), from their roles. Each module's policy still decides every request
 * against the object's org path; this list only tells the web what to offer.
 */
const ABILITY_ROLES: Record<Ability, ReadonlySet<Role>> = {
  'accounts.manage': new Set(['admin', 'office', 'town', 'secretary']),
  'roster.read': new Set(['office', 'town', 'secretary', 'leader']),
  'roster.write': new Set(['office', 'town', 'secretary']),
  'grids.manage': new Set(['office', 'town', 'secretary']),
  'settings.manage': new Set(['admin', 'office', 'town']),
  'orgs.restructure': ORG_ADMIN_ROLES,
  'audit.read': new Set(['admin', 'office']),
  'system.admin': new Set(['admin']),
  'visits.record': new Set(['member', 'secretary']),
  'visits.proxy': new Set(['secretary']),
  'visits.rules': new Set(['office', 'town']),
  'campaigns.read': new Set(['office', 'town', 'secretary', 'leader']),
  'campaigns.manage': new Set(['office', 'town']),
};

export function abilitiesOf(grants: Grant[]): Ability[] {
  return (Object.keys(ABILITY_ROLES) as Ability[]).filter((a) => grants.some((g) => ABILITY_ROLES[a].has(g.role)));
}
