import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type EventRow = {
  id: number;
  /** `at` in UTC with microseconds (a JS Date would lose them and the keyset would skip or repeat rows). */
  at: string;
  actor_account_id: string | null;
  actor_username: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

/** Filters as SQL-ready values: the service has resolved usernames, groups and households. */
export interface EventFilter {
  /** null = an actor was asked for and none matched: no rows. */
  actorAccountId?: string | null;
  actions?: string[];
  /** Each ANDed: a group's prefix and the one asked for. */
  actionPrefixes?: string[];
  /** Only events whose `after.full` is true (full, unmasked exports). */
  fullOnly?: boolean;
  entities?: { type: string; ids: string[] }[];
  entityType?: string;
  /** Asia/Shanghai calendar dates, inclusive. */
  from?: string;
  to?: string;
  ip?: string;
  after: { at: string; id: number } | null;
  limit: number;
}

/**
 * The audit trail newest first, keyset-paged on (at, id). Each filter is one indexable condition: the actor on
 * (actor_account_id, at), actions on (action, at), objects on (entity_type, entity_id), time alone on (at, id).
 * Returns limit + 1 rows (the extra one says there is more).
 */
export async function searchEvents(db: Pick<Db, 'execute'>, f: EventFilter): Promise<EventRow[]> {
  const where: SQL[] = [];
  if (f.actorAccountId !== undefined) where.push(f.actorAccountId === null ? sql`false` : sql`e.actor_account_id = ${f.actorAccountId}`);
  if (f.actions) where.push(f.actions.length ? sql`e.action IN (${sql.join(f.actions.map((a) => sql`${a}`), sql`, `)})` : sql`false`);
  for (const p of f.actionPrefixes ?? []) where.push(sql`e.action LIKE ${escapeLike(p) + '%'}`);
  if (f.fullOnly) where.push(sql`e.after->>'full' = 'true'`);
  if (f.entities) {
    const parts = f.entities.filter((x) => x.ids.length).map((x) => sql`(e.entity_type = ${x.type} AND e.entity_id IN (${sql.join(x.ids.map((i) => sql`${i}`), sql`, `)}))`);
    where.push(parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`);
  }
  if (f.entityType) where.push(sql`e.entity_type = ${f.entityType}`);
  if (f.from) where.push(sql`e.at >= (${f.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) where.push(sql`e.at < ((${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.ip) where.push(sql`e.ip = ${f.ip}`);
  if (f.after) where.push(sql`(e.at, e.id) < (${f.after.at}::timestamptz, ${f.after.id})`);
  const { rows } = await db.execute<EventRow>(sql`
    SELECT e.id::float8 AS id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
           e.actor_account_id, e.actor_username, e.action, e.entity_type, e.entity_id, e.before, e.after, e.ip
    FROM audit_events e
    ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY e.at DESC, e.id DESC
    LIMIT ${f.limit + 1}`);
  return rows;
}

/** LIKE treats % and _ as wildcards; an action prefix is literal ('link_' must not match 'links'). */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function accountIdByUsername(db: Db, username: string): Promise<string | null> {
  const { rows } = await db.execute<{ id: string }>(sql`SELECT id FROM accounts WHERE lower(username) = lower(${username})`);
  return rows[0]?.id ?? null;
}

/** Every resident the household ever had (left ones too: their reveals stay part of its history). */
export async function residentIdsOf(db: Db, householdId: string): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`SELECT id FROM residents WHERE household_id = ${householdId}`);
  return rows.map((r) => r.id);
}

/** `ref`: what the object's page is addressed by when it is not the id (a resident's household, an org's code). */
export type ObjectName = { id: string; label: string; ref?: string | null };

const uuidLike = (ids: string[]) => ids.filter((i) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(i));
const list = (ids: string[]) => sql.join(ids.map((i) => sql`${i}`), sql`, `);

/**
 * Names for the objects of a page of events, one query per kind: households (address · head), residents (name, and
 * their household for the link), businesses, accounts (username), orgs (by id or by code: restructuring records codes).
 */
export async function objectNames(db: Db, ids: Record<string, string[]>): Promise<Record<string, Map<string, ObjectName>>> {
  const out: Record<string, Map<string, ObjectName>> = {};
  const run = async (type: string, keep: (ids: string[]) => string[], q: (ids: string[]) => SQL) => {
    const wanted = keep([...new Set(ids[type] ?? [])]);
    out[type] = new Map();
    if (!wanted.length) return;
    const { rows } = await db.execute<ObjectName>(q(wanted));
    for (const r of rows) out[type]!.set(r.id, r);
  };
  // Independent lookups: in parallel on the pool.
  await Promise.all([
    run('household', uuidLike, (i) => sql`SELECT id::text, address || ' · ' || head_name AS label FROM households WHERE id IN (${list(i)})`),
    run('resident', uuidLike, (i) => sql`
      SELECT r.id::text, r.name || '（' || h.address || '）' AS label, r.household_id::text AS ref
      FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id IN (${list(i)})`),
    run('business', uuidLike, (i) => sql`SELECT id::text, name AS label FROM businesses WHERE id IN (${list(i)})`),
    run('account', uuidLike, (i) => sql`SELECT id::text, username AS label FROM accounts WHERE id IN (${list(i)})`),
    run('org', (x) => x, (i) => sql`
      SELECT id::text, name AS label, code AS ref FROM orgs WHERE id::text IN (${list(i)})
      UNION ALL SELECT code, name, code FROM orgs WHERE code IN (${list(i)})`),
  ]);
  return out;
}
