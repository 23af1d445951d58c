import { errors } from '../../errors.ts';
import { abilitiesOf, type Grant } from '../auth/scope.ts';

/** Audit review is the office's and the admin's (ability audit.read), over the whole zone; anyone else: 403. */
export function assertCanReview(grants: Grant[]): void {
  if (!abilitiesOf(grants).includes('audit.read')) throw errors.forbidden('只有连心办和系统管理员可以查看审计记录');
}

/** The admin reviews the trail but reads no personal data: registry bodies and names are withheld unless the caller is also office. */
export function registryBodiesHidden(grants: Grant[]): boolean {
  return !grants.some((g) => g.role === 'office');
}

/**
 * A household's access history is for the registry readers of its village (the same who read its 联户党员 history:
 * households.service reports it as abilities.readLinks); a member linked to it reads the household, not who looked at it.
 */
export function assertCanReadHistory(abilities: { readLinks: boolean }): void {
  if (!abilities.readLinks) throw errors.forbidden('当前角色无权查看此住户的访问记录');
}
