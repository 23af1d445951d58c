import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/*
 * The visit reads below (timeline, summary, per-link counts) query the visits tables directly because the visits
 * module's read functions (visits.service `visitsOfPerson`) were being written at the same time (issue 10, lane 1).
 * At merge they move behind visits.service; the shapes here are what the handbook needs from it.
 */

type Exec = Pick<Db, 'execute'>;

export type PersonRow = {
  id: string; name: string; kind: 'member' | 'helper'; synthetic: boolean;
  org_code: string; org_path: string; branch: string; town: string | null;
};

/** The person with their branch (the village's 党组织 name, else 「村名党支部」) and town; left people too (history). */
export async function person(db: Exec, id: string): Promise<PersonRow | null> {
  const { rows } = await db.execute<PersonRow>(sql`
    SELECT p.id, p.name, p.kind, p.synthetic, o.code AS org_code, o.path AS org_path,
           coalesce(o.party_name, o.short_name || '党支部') AS branch, t.short_name AS town
    FROM people p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs t ON t.id = o.parent_id AND t.level = 'town'
    WHERE p.id = ${id}`);
  return rows[0] ?? null;
}

export type EntryRow = {
  id: string; visited_at: Date; at_key: string; visited_on: string; channel: string;
  household_id: string | null; business_id: string | null; constituent_name: string;
  residents: string[]; notes: string; proxy: boolean; entered_by_name: string; basis: 'link' | 'helper'; photos: number;
  items: { id: string; categoryName: string; description: string; urgency: 'normal' | 'urgent'; status: 'open' | 'converted' | 'closed' }[];
};

/**
 * The person's visits with visited_on in [from, to] (days, both included), each with its residents, items and photo
 * count. Newest first with a keyset `after` (visited_at as PostgreSQL prints it, id), or oldest first for the PDF.
 */
export async function entries(
  db: Exec, personId: string, from: string, to: string,
  opts: { order: 'desc' | 'asc'; after?: [string, string] | null; limit: number },
): Promise<EntryRow[]> {
  const after = opts.after ? sql`AND (v.visited_at, v.id) < (${opts.after[0]}::timestamptz, ${opts.after[1]}::uuid)` : sql``;
  const order = opts.order === 'desc' ? sql`v.visited_at DESC, v.id DESC` : sql`v.visited_at, v.id`;
  const { rows } = await db.execute<EntryRow>(sql`
    SELECT v.id, v.visited_at, v.visited_at::text AS at_key, v.visited_on::text, v.channel, v.household_id, v.business_id,
           coalesce(h.head_name || '户', b.name) AS constituent_name, v.notes, v.proxy, v.basis,
           coalesce(a.display_name, a.username) AS entered_by_name,
           (SELECT count(*)::int FROM visit_photos ph WHERE ph.visit_id = v.id) AS photos,
           coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM visit_residents vr JOIN residents r ON r.id = vr.resident_id
                     WHERE vr.visit_id = v.id), '{}') AS residents,
           coalesce((SELECT json_agg(json_build_object('id', i.id, 'categoryName', coalesce(c.name, i.category),
                       'description', i.description, 'urgency', i.urgency, 'status', i.status) ORDER BY i.seq)
                     FROM raised_items i LEFT JOIN item_categories c ON c.code = i.category WHERE i.visit_id = v.id), '[]') AS items
    FROM visits v
    LEFT JOIN households h ON h.id = v.household_id
    LEFT JOIN businesses b ON b.id = v.business_id
    JOIN accounts a ON a.id = v.entered_by
    WHERE v.person_id = ${personId} AND v.visited_on BETWEEN ${from}::date AND ${to}::date ${after}
    ORDER BY ${order}
    LIMIT ${opts.limit}`);
  return rows;
}

export type SummaryRow = { channel: string; visits: number; proxy: number };
export type TotalsRow = { constituents: number; items: number; open_items: number };

/** Visits per channel (with 代录 among them), distinct constituents and raised items of the period. */
export async function summary(db: Exec, personId: string, from: string, to: string): Promise<{ channels: SummaryRow[]; totals: TotalsRow }> {
  const [channels, totals] = await Promise.all([
    db.execute<SummaryRow>(sql`
      SELECT channel, count(*)::int AS visits, count(*) FILTER (WHERE proxy)::int AS proxy
      FROM visits WHERE person_id = ${personId} AND visited_on BETWEEN ${from}::date AND ${to}::date GROUP BY channel`),
    db.execute<TotalsRow>(sql`
      SELECT (SELECT count(DISTINCT coalesce(v.household_id, v.business_id))::int FROM visits v
              WHERE v.person_id = ${personId} AND v.visited_on BETWEEN ${from}::date AND ${to}::date) AS constituents,
             count(i.id)::int AS items, count(i.id) FILTER (WHERE i.status = 'open')::int AS open_items
      FROM visits v JOIN raised_items i ON i.visit_id = v.id
      WHERE v.person_id = ${personId} AND v.visited_on BETWEEN ${from}::date AND ${to}::date`),
  ]);
  return { channels: channels.rows, totals: totals.rows[0]! };
}

export type LinkRow = {
  household_id: string | null; business_id: string | null; kind: 'household' | 'enterprise' | 'shop' | 'team';
  name: string; address: string; role: 'primary' | 'helper'; starts_on: string; visits: number; last_visited_on: string | null;
};

/**
 * The person's current links (households first, then by address as people read it) with this person's visits to
 * each in [from, to] and their last visit ever.
 */
export async function links(db: Exec, personId: string, from: string, to: string): Promise<LinkRow[]> {
  const { rows } = await db.execute<LinkRow>(sql`
    SELECT l.household_id, l.business_id, coalesce(b.kind, 'household') AS kind,
           coalesce(h.head_name || '户', b.name) AS name, coalesce(h.address, b.address) AS address,
           l.role, l.starts_on::text, s.visits, s.last_visited_on
    FROM links l
    LEFT JOIN households h ON h.id = l.household_id
    LEFT JOIN businesses b ON b.id = l.business_id
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE v.visited_on BETWEEN ${from}::date AND ${to}::date)::int AS visits,
             max(v.visited_on)::text AS last_visited_on
      FROM visits v
      WHERE v.person_id = l.person_id
        AND (v.household_id = l.household_id OR v.business_id = l.business_id)
    ) s
    WHERE l.person_id = ${personId} AND l.ends_on IS NULL
    ORDER BY l.household_id IS NULL, coalesce(h.address_norm, b.address_norm), l.id`);
  return rows;
}
