import type { Household, HouseholdSummary, Resident } from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import { decrypt } from '../../lib/crypto.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { maskIdNumber, maskPhone } from '../../lib/id-number.ts';
import type { Grant } from '../auth/scope.ts';
import { householdAbilities } from './households.policy.ts';
import type { HouseholdRow, ResidentRow } from './households.repo.ts';

/** Age in whole years on `today` (Asia/Shanghai calendar date), from a YYYY-MM-DD birth date. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function presentSummary(row: HouseholdRow, grants: Grant[], linkedToCaller = false): HouseholdSummary {
  return {
    id: row.id,
    orgCode: row.org_code,
    orgName: row.org_name,
    gridCode: row.grid_code,
    gridName: row.grid_name,
    address: row.address,
    headName: row.head_name,
    tags: row.tags,
    away: row.away,
    residentCount: row.resident_count,
    synthetic: row.synthetic,
    abilities: householdAbilities(grants, row.org_path, linkedToCaller),
  };
}

/** The only way a resident leaves the server: ID number and phone are decrypted here only to be masked. */
export function presentResident(r: ResidentRow, ring: Keyring, today: string): Resident {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, today),
    relation: r.relation,
    idNumberMasked: maskIdNumber(decrypt(ring, r.id_number_enc)),
    phoneMasked: r.phone_enc ? maskPhone(decrypt(ring, r.phone_enc)) : null,
    awayScope: r.away_scope,
    awayPlace: r.away_place,
  };
}

export function presentHousehold(row: HouseholdRow, residents: ResidentRow[], grants: Grant[], ring: Keyring, linkedToCaller = false): Household {
  const today = todayInShanghai();
  return { ...presentSummary(row, grants, linkedToCaller), residents: residents.map((r) => presentResident(r, ring, today)) };
}
