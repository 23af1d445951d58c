import type { Me, Org } from '@lianxin/contracts';

/**
 * Who gets the 新增住户 button. The server has no create ability on the org yet, so: people-readers who hold a
 * registering role (secretary, town, office). The server still decides; a 403 is shown as such.
 */
const REGISTER_ROLES = new Set(['secretary', 'town', 'office']);
export function canRegister(me: Me, org: Pick<Org, 'abilities' | 'level'>): boolean {
  return org.abilities.readPeople && (org.level === 'village' || org.level === 'town' || org.level === 'grid') && me.roles.some((r) => REGISTER_ROLES.has(r.role));
}
