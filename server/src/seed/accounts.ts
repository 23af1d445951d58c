import type pg from 'pg';
import type { Role } from '@lianxin/contracts';
import { hashPassword } from '../modules/auth/auth.service.ts';
import type { Keyring } from '../config.ts';
import { encrypt, keyedHash } from '../lib/crypto.ts';
import { phoneTail } from '../lib/id-number.ts';
import { initials } from '../lib/pinyin.ts';
import { OFFICE_CODE, ZONE } from './org-tree.ts';

/** The town whose first village hosts the secretary and member demo accounts (also the fully populated demo town). */
export const DEMO_TOWN_CODE = '419001100000'; // 克井镇

export interface DemoAccount { username: Role; displayName: string; role: Role; orgCode: string; person?: { name: string; sex: 'M' | 'F'; birthYear: string } }

export async function demoAccounts(client: pg.ClientBase): Promise<DemoAccount[]> {
  const { rows } = await client.query<{ code: string }>(
    `SELECT v.code FROM orgs v JOIN orgs t ON t.id = v.parent_id WHERE t.code = $1 AND v.level = 'village' ORDER BY v.sort_key LIMIT 1`,
    [DEMO_TOWN_CODE]);
  const village = rows[0]!.code;
  return [
    { username: 'office', displayName: '连心办 张主任', role: 'office', orgCode: OFFICE_CODE },
    { username: 'town', displayName: '克井镇党委 刘书记', role: 'town', orgCode: DEMO_TOWN_CODE },
    { username: 'secretary', displayName: '村党支部 王书记', role: 'secretary', orgCode: village, person: { name: '王建国', sex: 'M', birthYear: '1971' } },
    { username: 'member', displayName: '党员 李秀英', role: 'member', orgCode: village, person: { name: '李秀英', sex: 'F', birthYear: '1984' } },
    { username: 'department', displayName: '住建局 赵科长', role: 'department', orgCode: `${ZONE.code}-D05` },
    { username: 'leader', displayName: '示范区 陈领导', role: 'leader', orgCode: ZONE.code },
    { username: 'admin', displayName: '系统管理员', role: 'admin', orgCode: ZONE.code },
  ];
}

/**
 * Creates the demo accounts (one per role) with LIANXIN_DEMO_PASSWORD; skips those that exist. With a keyring, the
 * secretary's and the member's people carry their mobile (the published work number) as the roster stores phones:
 * encrypted, keyed hash, tail.
 */
export async function seedDemoAccounts(client: pg.ClientBase, password: string, keyring?: Keyring): Promise<DemoAccount[]> {
  const list = await demoAccounts(client);
  const hashed = await hashPassword(password);
  await client.query('BEGIN');
  try {
    for (const a of list) {
      const exists = await client.query('SELECT 1 FROM accounts WHERE lower(username) = $1', [a.username]);
      if (exists.rows.length) continue;
      let personId: string | null = null;
      if (a.person) {
        const phone = a.username === 'secretary' ? '13903910001' : '13903910002';
        const p = await client.query<{ id: string }>(
          `INSERT INTO people (org_id, kind, name, name_initials, sex, birth_year, work_phone, member_since, phone_enc, phone_hash,
                               phone_tail, synthetic)
           SELECT id, 'member', $2, $6, $3, $4, $5, '2005-07-01', $7, $8, $9, true FROM orgs WHERE code = $1 RETURNING id`,
          [a.orgCode, a.person.name, a.person.sex, a.person.birthYear, phone, initials(a.person.name),
            keyring ? encrypt(keyring, phone) : null, keyring ? keyedHash(keyring, phone) : null, keyring ? phoneTail(phone) : null]);
        personId = p.rows[0]!.id;
      }
      const acc = await client.query<{ id: string }>(
        `INSERT INTO accounts (username, display_name, password_hash, person_id, demo) VALUES ($1, $2, $3, $4, true) RETURNING id`,
        [a.username, a.displayName, hashed, personId]);
      await client.query(
        `INSERT INTO account_roles (account_id, role, org_id) SELECT $1, $2, id FROM orgs WHERE code = $3`,
        [acc.rows[0]!.id, a.role, a.orgCode]);
      await client.query(
        `INSERT INTO audit_events (action, entity_type, entity_id, after) VALUES ('account.create', 'account', $1, $2)`,
        [acc.rows[0]!.id, JSON.stringify({ username: a.username, role: a.role, org: a.orgCode, demo: true })]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  return list;
}
