import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../../test/db-server.ts';
import type { Keyring } from '../../config.ts';
import { decrypt } from '../../lib/crypto.ts';
import { generateBusinesses } from '../../seed/demo/businesses.ts';
import { isValidCreditCode } from '../../lib/credit-code.ts';

const keyring: Keyring = { current: 'k1', keys: { k1: Buffer.alloc(32, 7).toString('base64') } };
let client: pg.Client;
let name: string;

/** Plaintext fingerprint: everything except the encrypted phones, whose IVs are random by design. */
async function fingerprint(): Promise<string> {
  const { rows } = await client.query<{ f: string }>(`
    SELECT md5(string_agg(concat_ws('|', id, kind, org_id, parent_id, name, name_initials, address, credit_code, contact_name,
                                    contact_phone_enc IS NULL, employees), ',' ORDER BY id)) AS f
    FROM businesses WHERE synthetic`);
  return rows[0]!.f;
}

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl');
  name = `lx_t_biz_${Date.now().toString(36)}_${inject('pgTemplate')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  await admin.end();
  client = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe('generateBusinesses', () => {
  it('demo: populates 克井镇, 0–2 shops elsewhere, valid unique credit codes, teams under enterprises of the same village, deterministic', async () => {
    const r = await generateBusinesses(client, { seed: 20210910, scale: 'demo', keyring });
    const { rows: byTown } = await client.query<{ town: string; kind: string; n: number; villages: number }>(`
      SELECT t.code AS town, b.kind, count(*)::int AS n, count(DISTINCT b.org_id)::int AS villages
      FROM businesses b JOIN orgs v ON v.id = b.org_id JOIN orgs t ON t.id = v.parent_id GROUP BY 1, 2`);
    const kejing = (k: string) => byTown.find((x) => x.town === '419001100000' && x.kind === k)?.n ?? 0;
    expect(kejing('enterprise')).toBeGreaterThan(50);
    expect(kejing('shop')).toBeGreaterThan(300);
    expect(byTown.filter((x) => x.town !== '419001100000').every((x) => x.kind === 'shop')).toBe(true);
    const { rows: [maxElsewhere] } = await client.query<{ m: number }>(`
      SELECT coalesce(max(n), 0)::int AS m FROM (SELECT count(*) AS n FROM businesses b JOIN orgs v ON v.id = b.org_id
      JOIN orgs t ON t.id = v.parent_id WHERE t.code <> '419001100000' GROUP BY b.org_id) x`);
    expect(maxElsewhere!.m).toBeLessThanOrEqual(2);
    expect(r.teams / r.enterprises).toBeGreaterThan(0.3); // 2–4 teams for ~20% of enterprises
    expect(r.teams / r.enterprises).toBeLessThan(1.2);
    const { rows: codes } = await client.query<{ credit_code: string }>('SELECT credit_code FROM businesses WHERE credit_code IS NOT NULL');
    expect(codes.every((c) => isValidCreditCode(c.credit_code))).toBe(true);
    expect(new Set(codes.map((c) => c.credit_code)).size).toBe(codes.length);
    const { rows: [bad] } = await client.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM businesses t LEFT JOIN businesses e ON e.id = t.parent_id
      WHERE (t.kind = 'team' AND (e.kind IS DISTINCT FROM 'enterprise' OR e.org_id <> t.org_id OR t.credit_code IS NOT NULL))
         OR (t.kind <> 'team' AND t.parent_id IS NOT NULL) OR NOT t.synthetic`);
    expect(bad!.n).toBe(0);
    const { rows: [sample] } = await client.query<{ contact_phone_enc: string }>('SELECT contact_phone_enc FROM businesses WHERE contact_phone_enc IS NOT NULL LIMIT 1');
    expect(decrypt(keyring, sample!.contact_phone_enc)).toMatch(/^1[3-9]\d{9}$/);
    const first = await fingerprint();
    const again = await generateBusinesses(client, { seed: 20210910, scale: 'demo', keyring });
    expect(again).toEqual(r);
    expect(await fingerprint()).toBe(first);
    console.log('demo', r);
  });

  it('full: about 1,200 enterprises and 15,000 shops over the zone', async () => {
    const started = Date.now();
    const r = await generateBusinesses(client, { seed: 20210910, scale: 'full', keyring });
    console.log('full', r, `${Date.now() - started} ms`);
    expect(r.enterprises).toBeGreaterThan(1_100);
    expect(r.enterprises).toBeLessThan(1_300);
    expect(r.shops).toBeGreaterThan(14_500);
    expect(r.shops).toBeLessThan(15_500);
    const { rows: [n] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM businesses');
    expect(n!.n).toBe(r.enterprises + r.shops + r.teams);
  }, 120_000);
});
