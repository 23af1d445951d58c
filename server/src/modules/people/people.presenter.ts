import type { Person } from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskPhone } from '../../lib/id-number.ts';
import type { Grant } from '../auth/scope.ts';
import { loadStatus, type loadTarget } from '../links/links.service.ts';
import { personAbilities } from './people.policy.ts';
import type { PersonRow } from './people.repo.ts';

type Target = Awaited<ReturnType<typeof loadTarget>>;

/** Age this calendar year from the birth year (members carry a year, not a date). */
export function ageFrom(birthYear: string | null, today: string): number | null {
  return birthYear ? Number(today.slice(0, 4)) - Number(birthYear) : null;
}

/** The only way a person leaves the server: the phone is decrypted here only to be masked. */
export function presentPerson(r: PersonRow, grants: Grant[], ring: Keyring, target: Target, today: string): Person {
  return {
    id: r.id, kind: r.kind, helperKind: r.helper_kind, name: r.name, sex: r.sex, birthYear: r.birth_year,
    age: ageFrom(r.birth_year, today),
    phoneMasked: r.phone_enc ? maskPhone(decrypt(ring, r.phone_enc)) : null,
    workPhone: r.work_phone, memberSince: r.member_since, mobile: r.mobile, dualRegistered: r.dual_registered,
    orgCode: r.org_code, orgName: r.org_name, gridCode: r.grid_code, gridName: r.grid_name,
    load: r.load, loadStatus: loadStatus(r.load, target), accountStatus: r.account_status,
    leftOn: r.left_on, leftReason: r.left_reason, synthetic: r.synthetic,
    abilities: r.left_on ? { update: false, reveal: personAbilities(grants, r.org_path).reveal } : personAbilities(grants, r.org_path),
  };
}
