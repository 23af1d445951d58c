import type { Org } from '@lianxin/contracts';

/** Who gets 新增住户 / 新增企业商户 / Excel 导入: the server's writeRegistry ability, at a level where records live. */
export function canRegister(org: Pick<Org, 'abilities' | 'level'>): boolean {
  return org.abilities.writeRegistry && (org.level === 'village' || org.level === 'town' || org.level === 'grid');
}
