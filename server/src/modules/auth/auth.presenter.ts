import type { Me } from '@lianxin/contracts';
import type { AuthContext } from '../../plugins/auth.ts';
import { abilitiesOf } from './scope.ts';

export function presentMe(auth: AuthContext, rootOrgs: { code: string; name: string; level: Me['scopeRoots'][number]['level'] }[]): Me {
  return {
    account: { id: auth.account.id, username: auth.account.username, displayName: auth.account.displayName },
    roles: auth.grants.map((g) => ({ role: g.role, orgCode: g.orgCode, orgName: g.orgName, orgLevel: g.orgLevel as Me['roles'][number]['orgLevel'] })),
    scopeRoots: rootOrgs,
    csrfToken: auth.session.csrfToken,
    session: { expiresAt: auth.session.expiresAt.toISOString(), idleExpiresAt: auth.session.idleExpiresAt.toISOString() },
    demo: auth.account.demo,
    abilities: abilitiesOf(auth.grants),
  };
}
