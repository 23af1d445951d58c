import type { ManagedAccount, OrgLevel } from '@lianxin/contracts';
import { maskPhone } from '../../lib/id-number.ts';
import type { AccountRow } from './accounts.repo.ts';

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * `maskPhones`: for a caller who may reveal no personal data (the admin manages accounts but reads none), a username
 * that is a mobile number — a member's natural default — is shown masked like any phone.
 */
export function presentAccount(row: AccountRow, maskPhones = false): ManagedAccount {
  return {
    id: row.id,
    username: maskPhones && MOBILE.test(row.username) ? maskPhone(row.username) : row.username,
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
