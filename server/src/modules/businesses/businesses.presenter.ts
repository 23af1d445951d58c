import type { Business } from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskPhone } from '../../lib/id-number.ts';
import type { Grant } from '../auth/scope.ts';
import { businessAbilities } from './businesses.policy.ts';
import type { BusinessRow } from './businesses.repo.ts';

/** The only way a business leaves the server: the contact phone is decrypted here only to be masked. */
export function presentBusiness(row: BusinessRow, grants: Grant[], ring: Keyring, linkedToCaller = false): Business {
  return {
    id: row.id,
    kind: row.kind,
    orgCode: row.org_code,
    orgName: row.org_name,
    gridCode: row.grid_code,
    gridName: row.grid_name,
    parentId: row.parent_id,
    parentName: row.parent_name,
    name: row.name,
    address: row.address,
    creditCode: row.credit_code,
    contactName: row.contact_name,
    contactPhoneMasked: row.contact_phone_enc ? maskPhone(decrypt(ring, row.contact_phone_enc)) : null,
    employees: row.employees,
    linkedMember: row.linked_person_id ? { id: row.linked_person_id, name: row.linked_person_name ?? '' } : null,
    synthetic: row.synthetic,
    abilities: businessAbilities(grants, row.org_path, linkedToCaller),
  };
}
