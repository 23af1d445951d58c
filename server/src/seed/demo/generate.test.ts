import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../../test/db-server.ts';
import type { Keyring } from '../../config.ts';
import { openPool, type Database } from '../../db/client.ts';
import { decrypt, keyedHash } from '../../lib/crypto.ts';
import { generateDemo, refreshRollups } from './generate.ts';
import { isValidIdNumber } from '../../lib/id-number.ts';

const keyring: Keyring = { current: 'k1', keys: { k1: Buffer.alloc(32, 7).toString('base64') } };
let database: Database;
let name: string;

/** Plaintext fingerprint: everything except the AES-GCM ciphertexts, whose IVs are random by design. */
async function fingerprint(): Promise<string> {
  const { rows } = await database.pool.query<{ f: string }>(`
    SELECT md5(string_agg(concat_ws('|', r.id, r.household_id, r.name, r.sex, r.birth_date, r.relation, r.id_number_hash,
                                    r.phone_enc IS NULL, r.away_scope, r.away_place, h.address, h.tags::text, h.away), ',' ORDER BY r.id))
             || md5((SELECT string_agg(concat_ws('|', id, name, sex, birth_year, work_phone, member_since, helper_kind, dual_registered,
                                                 phone_hash, phone_tail), ',' ORDER BY id)
                     FROM people WHERE synthetic)) AS f
    FROM residents r JOIN households h ON h.id = r.household_id`);
  return rows[0]!.f;
}

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl');
  name = `lx_t_demo_${Date.now().toString(36)}_${inject('pgTemplate')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  await admin.end();
  database = openPool(withDatabase(adminUrl, name), inject('pgEngine'), 3);
});

afterAll(async () => {
  await database?.close();
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe('generateDemo', () => {
  it('populates the demo scale deterministically with valid, encrypted ID numbers', async () => {
    const r = await generateDemo(database.pool, { scale: 'demo', keyring });
    expect(r.members).toBeGreaterThan(557 * 20);
    expect(r.households).toBeGreaterThan(15_000);
    expect(r.residents / r.households).toBeGreaterThan(2.6);
    expect(r.residents / r.households).toBeLessThan(3.3);

    const pool = database.pool;
    const sample = await pool.query<{ id_number_enc: string; id_number_hash: string; birth_date: string; sex: string; phone_enc: string | null }>(
      'SELECT id_number_enc, id_number_hash, birth_date, sex, phone_enc FROM residents ORDER BY id LIMIT 500');
    for (const row of sample.rows) {
      const id = decrypt(keyring, row.id_number_enc);
      expect(isValidIdNumber(id)).toBe(true);
      expect(id.slice(0, 6)).toBe('419001');
      expect(id.slice(6, 14)).toBe(row.birth_date.replaceAll('-', ''));
      expect(Number(id[16]) % 2).toBe(row.sex === 'M' ? 1 : 0);
      expect(keyedHash(keyring, id)).toBe(row.id_number_hash);
      if (row.phone_enc) expect(decrypt(keyring, row.phone_enc)).toMatch(/^1[3-9]\d{9}$/);
    }
    // Members and helpers carry a personal mobile like residents (encrypted, keyed hash, tail), each number once; some
    // members are 双报到.
    // The demo accounts' two people come from the seed, not the generator (their phone only with a keyring at seeding):
    // left out here as below, or a random sample of 200 by uuid would sometimes hold one.
    const people = await pool.query<{ phone_enc: string; phone_hash: string; phone_tail: string }>(`
      SELECT phone_enc, phone_hash, phone_tail FROM people
      WHERE synthetic AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = people.id) ORDER BY id LIMIT 200`);
    for (const p of people.rows) {
      const phone = decrypt(keyring, p.phone_enc);
      expect(phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.phone_hash).toBe(keyedHash(keyring, phone));
      expect(p.phone_tail).toBe(phone.slice(-4));
    }
    const flags = await pool.query<{ missing: number; dup: number; dual: number }>(`
      SELECT count(*) FILTER (WHERE phone_enc IS NULL)::int AS missing, (count(*) - count(DISTINCT phone_hash))::int AS dup,
             count(*) FILTER (WHERE dual_registered)::int AS dual
      FROM people WHERE synthetic AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = people.id)`);
    expect(flags.rows[0]).toMatchObject({ missing: 0, dup: 0 });
    expect(flags.rows[0]!.dual).toBeGreaterThan(100);
    const dup = await pool.query('SELECT id_number_hash FROM residents GROUP BY 1 HAVING count(*) > 1 LIMIT 1');
    expect(dup.rows).toHaveLength(0);

    // Tags agree with the household's members.
    const alone = await pool.query(`
      SELECT h.id FROM households h JOIN residents r ON r.household_id = h.id WHERE '独居老人' = ANY(h.tags)
      GROUP BY h.id HAVING count(*) <> 1 OR max(r.birth_date) > '1960-12-31' LIMIT 1`);
    expect(alone.rows).toHaveLength(0);

    // Rollups match the tables.
    const roll = await pool.query<{ m: number; h: number; pm: number; hh: number }>(`
      SELECT (SELECT sum(members)::int FROM org_rollups) AS m, (SELECT sum(households)::int FROM org_rollups) AS h,
             (SELECT count(*)::int FROM people WHERE kind = 'member') AS pm, (SELECT count(*)::int FROM households) AS hh`);
    expect(roll.rows[0]!.m).toBe(roll.rows[0]!.pm);
    expect(roll.rows[0]!.h).toBe(roll.rows[0]!.hh);
    expect(await refreshRollups(pool)).toBeGreaterThanOrEqual(557);

    // Refuses to run twice; with reset the same seed reproduces the same plaintext and UUIDs.
    const before = await fingerprint();
    await expect(generateDemo(pool, { scale: 'demo', keyring })).rejects.toThrow(/already exist/);
    await generateDemo(pool, { scale: 'demo', keyring, reset: true });
    expect(await fingerprint()).toBe(before);
  }, 180_000);
});
