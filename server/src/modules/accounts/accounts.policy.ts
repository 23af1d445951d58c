import { roles as ALL_ROLES, type OrgLevel, type Role } from '@lianxin/contracts';
import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin, ZONE_CODE } from '../auth/scope.ts';

/**
 * Delegated, scoped account administration. Each manager grant *reaches* some roles inside an org subtree:
 * admin every role in the zone; office every role but admin in the zone (leader and department only from here);
 * a town account town, secretary and member roles inside its town; a secretary the `member` role bound to their own
 * branch — and only for people of that branch. Nobody grants above their own level or outside their subtree.
 *
 * An account is *manageable* by the caller when every one of its roles is reachable and its person (if any) lives
 * inside a reach — so a town cannot touch an account that also holds an office role, and a secretary sees only member
 * accounts of their branch. Anything else is out of scope: 404, exactly as if it did not exist.
 */
export interface Reach {
  roles: ReadonlySet<Role>;
  /** The subtree's path; with `exact` only that org itself (a secretary's branch, not its grids). */
  root: string;
  exact: boolean;
  /** Only accounts of people of this org (a secretary never manages staff accounts). */
  needsPerson: boolean;
}

/** Where each role may be bound: the org whose subtree it reads (auth/scope.ts). */
export const ROLE_ORG_LEVELS: Record<Role, readonly OrgLevel[]> = {
  member: ['village', 'unit'],
  secretary: ['village', 'unit'],
  town: ['town'],
  office: ['office'],
  department: ['department'],
  leader: ['zone', 'town'],
  admin: ['zone', 'office'],
};

/** The levels admin > office > town > secretary > member are these sets; leader and department only office and admin reach. */
export function reachesOf(grants: Grant[]): Reach[] {
  const reaches: Reach[] = [];
  for (const g of grants) {
    if (g.role === 'admin') reaches.push({ roles: new Set(ALL_ROLES), root: ZONE_CODE, exact: false, needsPerson: false });
    else if (g.role === 'office') reaches.push({ roles: new Set(ALL_ROLES.filter((r) => r !== 'admin')), root: ZONE_CODE, exact: false, needsPerson: false });
    else if (g.role === 'town') reaches.push({ roles: new Set(['town', 'secretary', 'member']), root: g.orgPath, exact: false, needsPerson: false });
    else if (g.role === 'secretary') reaches.push({ roles: new Set(['member']), root: g.orgPath, exact: true, needsPerson: true });
  }
  return reaches;
}

function inReach(r: Reach, path: string): boolean {
  return r.exact ? path === r.root : isWithin(path, r.root);
}

/** Is the org at `path` inside one of the caller's reaches (people, bulk opening, the picker)? */
export function reachesPath(reaches: Reach[], path: string): boolean {
  return reaches.some((r) => inReach(r, path));
}

/** Roles without any account administration (member, leader, department): 403 before anything is looked up. */
export function assertManager(grants: Grant[]): Reach[] {
  const reaches = reachesOf(grants);
  if (!reaches.length) throw errors.forbidden('当前角色无权管理账号');
  return reaches;
}

export interface AccountScope { roles: { role: Role; path: string }[]; personPath: string | null }

/** May the caller manage this account (see it, change it, reset it)? */
export function canManage(reaches: Reach[], a: AccountScope): boolean {
  if (a.personPath === null && !a.roles.length) return reaches.some((r) => r.root === ZONE_CODE && !r.exact);
  const personOk = a.personPath === null
    ? !reaches.every((r) => r.needsPerson)
    : reachesPath(reaches, a.personPath);
  return personOk && a.roles.every((x) => reaches.some((r) => r.roles.has(x.role) && inReach(r, x.path) && (!r.needsPerson || a.personPath === r.root)));
}

/** Why the caller may not grant this role at this org, or null when they may (a 403's message). */
export function grantProblem(reaches: Reach[], role: Role, org: { path: string; level: string; name: string }): string | null {
  if (!ROLE_ORG_LEVELS[role].includes(org.level as OrgLevel)) return `角色「${ROLE_NAMES[role]}」不能绑定到「${org.name}」这一级组织`;
  const byRole = reaches.filter((r) => r.roles.has(role));
  if (!byRole.length) return `无权授予「${ROLE_NAMES[role]}」角色：只能授予不高于自己级别、且在自己管理范围内的角色`;
  if (!byRole.some((r) => inReach(r, org.path))) return `无权在「${org.name}」授予角色：超出您的管理范围`;
  return null;
}

export const ROLE_NAMES: Record<Role, string> = {
  member: '党员', secretary: '村（社区）书记', town: '镇（街道）', office: '连心办', department: '部门', leader: '领导', admin: '系统管理员',
};
