import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type VillageRow = { id: string; code: string; name: string; short_name: string; level: string; path: string; party_name: string | null; town_name: string | null; synthetic: boolean };

export async function orgByCode(db: Db, code: string): Promise<VillageRow | null> {
  const { rows } = await db.execute<VillageRow>(sql`
    SELECT o.id, o.code, o.name, o.short_name, o.level, o.path, o.party_name, t.short_name AS town_name, o.synthetic
    FROM orgs o LEFT JOIN orgs t ON t.id = o.parent_id
    WHERE o.code = ${code} AND o.valid_to IS NULL`);
  return rows[0] ?? null;
}

/**
 * One row per live constituent of the village with its grid and its active primary link's person (if any). Only
 * what the public map may show: names, addresses, the member's published work phone — no tags, IDs or residents'
 * phones are selected at all.
 */
export type MapRow = {
  kind: 'household' | 'enterprise' | 'shop' | 'team'; label: string; address: string;
  grid_code: string | null; grid_name: string | null; grid_sort: number | null; person_id: string | null; person_name: string | null; work_phone: string | null;
  person_kind: 'member' | 'helper' | null; helper_kind: string | null;
  /** The constituent or its member is demo data: the printed sheet must say so (演示数据). */
  synthetic: boolean;
};

export async function mapRows(db: Db, villageId: string): Promise<MapRow[]> {
  const { rows } = await db.execute<MapRow>(sql`
    SELECT 'household' AS kind, h.head_name || '户' AS label, h.address, g.code AS grid_code, g.short_name AS grid_name, g.sort_key AS grid_sort,
           p.id AS person_id, p.name AS person_name, p.work_phone, p.kind AS person_kind, p.helper_kind,
           (h.synthetic OR coalesce(p.synthetic, false)) AS synthetic
    FROM households h
    LEFT JOIN orgs g ON g.id = h.grid_id
    LEFT JOIN links l ON l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL
    LEFT JOIN people p ON p.id = l.person_id
    WHERE h.org_id = ${villageId} AND h.removed_at IS NULL
    UNION ALL
    SELECT b.kind, b.name, b.address, g.code, g.short_name, g.sort_key, p.id, p.name, p.work_phone, p.kind, p.helper_kind,
           (b.synthetic OR coalesce(p.synthetic, false))
    FROM businesses b
    LEFT JOIN orgs g ON g.id = b.grid_id
    LEFT JOIN links l ON l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL
    LEFT JOIN people p ON p.id = l.person_id
    WHERE b.org_id = ${villageId} AND b.removed_at IS NULL`);
  return rows;
}

export type CardRow = {
  household_id: string | null; business_id: string | null; label: string; address: string;
  person_id: string | null; person_name: string | null; work_phone: string | null; person_kind: 'member' | 'helper' | null; helper_kind: string | null;
  synthetic: boolean;
};

/** Constituents of the village to print cards for: all live ones with a primary link, or just the ones asked for. */
export async function cardConstituents(db: Db, villageId: string, only: { households: string[]; businesses: string[] } | null): Promise<CardRow[]> {
  const hh = only ? (only.households.length ? sql`AND h.id IN (${sql.join(only.households.map((i) => sql`${i}::uuid`), sql`, `)})` : sql`AND false`) : sql``;
  const bz = only ? (only.businesses.length ? sql`AND b.id IN (${sql.join(only.businesses.map((i) => sql`${i}::uuid`), sql`, `)})` : sql`AND false`) : sql``;
  const { rows } = await db.execute<CardRow>(sql`
    SELECT h.id AS household_id, NULL::uuid AS business_id, h.head_name || '户' AS label, h.address, p.id AS person_id, p.name AS person_name, p.work_phone,
           p.kind AS person_kind, p.helper_kind, (h.synthetic OR coalesce(p.synthetic, false)) AS synthetic
    FROM households h
    LEFT JOIN links l ON l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL
    LEFT JOIN people p ON p.id = l.person_id
    WHERE h.org_id = ${villageId} AND h.removed_at IS NULL ${hh} ${only ? sql`` : sql`AND l.id IS NOT NULL`}
    UNION ALL
    SELECT NULL, b.id, b.name, b.address, p.id, p.name, p.work_phone, p.kind, p.helper_kind, (b.synthetic OR coalesce(p.synthetic, false))
    FROM businesses b
    LEFT JOIN links l ON l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL
    LEFT JOIN people p ON p.id = l.person_id
    WHERE b.org_id = ${villageId} AND b.removed_at IS NULL ${bz} ${only ? sql`` : sql`AND l.id IS NOT NULL`}
    ORDER BY 3`);
  return rows;
}

/** Revokes the live cards of these constituents and issues new ones; returns the new card ids in input order. */
export async function reissueCards(tx: Db, cards: { householdId: string | null; businessId: string | null }[], accountId: string | null): Promise<string[]> {
  if (!cards.length) return [];
  const hh = cards.flatMap((c) => (c.householdId ? [c.householdId] : []));
  const bz = cards.flatMap((c) => (c.businessId ? [c.businessId] : []));
  const ids = (xs: string[]) => sql.join(xs.map((i) => sql`${i}::uuid`), sql`, `);
  if (hh.length) await tx.execute(sql`UPDATE contact_cards SET revoked_at = now() WHERE revoked_at IS NULL AND household_id IN (${ids(hh)})`);
  if (bz.length) await tx.execute(sql`UPDATE contact_cards SET revoked_at = now() WHERE revoked_at IS NULL AND business_id IN (${ids(bz)})`);
  const { rows } = await tx.execute<{ id: string; ord: number }>(sql`
    INSERT INTO contact_cards (household_id, business_id, issued_by)
    SELECT v.household_id, v.business_id, ${accountId}::uuid
    FROM (VALUES ${sql.join(cards.map((c, i) => sql`(${i}::int, ${c.householdId}::uuid, ${c.businessId}::uuid)`), sql`, `)}) AS v(ord, household_id, business_id)
    ORDER BY v.ord
    RETURNING id`);
  return rows.map((r) => r.id);
}

export type PublicCardRow = {
  revoked_at: string | null; issued_at: string; village: string; town: string | null; branch: string | null; branch_phone: string | null;
  person_name: string | null; work_phone: string | null; person_kind: 'member' | 'helper' | null; helper_kind: string | null;
};

/** What a card's QR opens: the constituent's *current* primary member (the card may be older than a reassignment). */
export async function publicCard(db: Db, cardId: string): Promise<PublicCardRow | null> {
  const { rows } = await db.execute<PublicCardRow>(sql`
    SELECT c.revoked_at::text, c.issued_at::text, v.short_name AS village, t.short_name AS town, v.party_name AS branch,
           coalesce(v.public_phone, t.public_phone) AS branch_phone, p.name AS person_name, p.work_phone, p.kind AS person_kind, p.helper_kind
    FROM contact_cards c
    LEFT JOIN households h ON h.id = c.household_id
    LEFT JOIN businesses b ON b.id = c.business_id
    JOIN orgs v ON v.id = coalesce(h.org_id, b.org_id)
    LEFT JOIN orgs t ON t.id = v.parent_id
    LEFT JOIN LATERAL (
      SELECT person_id FROM links WHERE household_id = c.household_id AND role = 'primary' AND ends_on IS NULL
      UNION ALL
      SELECT person_id FROM links WHERE business_id = c.business_id AND role = 'primary' AND ends_on IS NULL
    ) l ON true
    LEFT JOIN people p ON p.id = l.person_id
    WHERE c.id = ${cardId}`);
  return rows[0] ?? null;
}
