import type { ManagedAccount, OrgLevel } from '@lianxin/contracts';
import type { AccountRow } from './accounts.repo.ts';

export function presentAccount(row: AccountRow): ManagedAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    person: row.person_id
      ? { id: row.person_id, name: row.person_name!, kind: row.person_kind!, orgCode: row.person_org_code!, orgName: row.person_org_name! }
      : null,
    roles: row.roles.map((r) => ({ role: r.role, orgCode: r.code, orgName: r.name, orgLevel: r.level as OrgLevel })),
    disabled: row.disabled,
    disabledReason: row.disabled_reason,
    mustChangePassword: row.must_change_password,
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** What the audit keeps of an account, before and after a change: never a password or its hash. */
export function auditSnapshot(row: AccountRow) {
  return {
    username: row.username,
    displayName: row.display_name,
    person: row.person_id,
    roles: row.roles.map((r) => `${r.role}@${r.code}`),
    disabled: row.disabled,
  };
}
