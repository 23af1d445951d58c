import type { Role } from '@lianxin/contracts';
import { abilitiesOf, type Grant } from './scope.ts';

/** The login-security policy (2FA per role): read with the settings ability, changed only by the office and admin. */
const LOGIN_POLICY_EDITORS: ReadonlySet<Role> = new Set(['office', 'admin']);

export function canReadLoginPolicy(grants: Grant[]): boolean {
  return abilitiesOf(grants).includes('settings.manage');
}

export function canEditLoginPolicy(grants: Grant[]): boolean {
  return grants.some((g) => LOGIN_POLICY_EDITORS.has(g.role));
}
