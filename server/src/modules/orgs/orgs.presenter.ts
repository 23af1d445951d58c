import type { Org } from '@lianxin/contracts';
import type { Grant } from '../auth/scope.ts';
import { orgAbilities } from './orgs.policy.ts';
import type { OrgRow } from './orgs.repo.ts';

export function presentOrg(row: OrgRow, grants: Grant[], ancestors: Org['ancestors']): Org {
  return {
    code: row.code,
    name: row.name,
    shortName: row.short_name,
    level: row.level as Org['level'],
    adminKind: row.admin_kind,
    partyKind: row.party_kind,
    partyName: row.party_name,
    parentCode: row.parent_code,
    ancestors,
    counts: { children: row.children, villages: row.villages, members: row.members, households: row.households },
    synthetic: row.synthetic,
    abilities: orgAbilities(grants, row.path),
  };
}
