import { sql } from 'drizzle-orm';
import type { OutboxChannel, OutboxStatus } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';

type Exec = Pick<Db, 'execute'>;

export type NotificationRow = {
  id: string; kind: string; title: string; body: string; link: string | null; created_at: string; read_at: string | null;
};

export async function listNotifications(
  db: Exec, accountId: string, o: { unreadOnly: boolean; after: [string, string] | null; limit: number },
): Promise<NotificationRow[]> {
  const { rows } = await db.execute<NotificationRow>(sql`
    SELECT id, kind, title, body, link, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
           to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS read_at
    FROM notifications
    WHERE account_id = ${accountId}
      ${o.unreadOnly ? sql`AND read_at IS NULL` : sql``}
      ${o.after ? sql`AND (created_at, id) < (${o.after[0]}::timestamptz, ${o.after[1]}::uuid)` : sql``}
    ORDER BY created_at DESC, id DESC
    LIMIT ${o.limit + 1}`);
  return rows;
}

export async function unreadCount(db: Exec, accountId: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM notifications WHERE account_id = ${accountId} AND read_at IS NULL`);
  return rows[0]!.n;
}

/** Marks one of the account's notifications read (kept read if it already was); null when it is not theirs. */
export async function markRead(db: Exec, accountId: string, id: string): Promise<{ was_unread: boolean } | null> {
  const { rows } = await db.execute<{ was_unread: boolean }>(sql`
    WITH cur AS (SELECT id, read_at IS NULL AS was_unread FROM notifications WHERE id = ${id} AND account_id = ${accountId} FOR UPDATE)
    UPDATE notifications n SET read_at = coalesce(n.read_at, now()) FROM cur WHERE n.id = cur.id
    RETURNING cur.was_unread`);
  return rows[0] ?? null;
}

export async function markAllRead(db: Exec, accountId: string): Promise<number> {
  const r = await db.execute(sql`UPDATE notifications SET read_at = now() WHERE account_id = ${accountId} AND read_at IS NULL`);
  return r.rowCount ?? 0;
}

export type OutboxRow = {
  id: string; channel: OutboxChannel; account_id: string; body: string; status: OutboxStatus; reason: string | null; attempts: number;
  created_at: string; updated_at: string; sent_at: string | null;
};

/** Claims up to `limit` due pending messages; rows another runner holds are skipped (each message goes to one runner). */
export async function claimDue(tx: Exec, limit: number): Promise<OutboxRow[]> {
  const { rows } = await tx.execute<OutboxRow>(sql`
    SELECT id, channel, account_id, body, status, reason, attempts, created_at, updated_at, sent_at
    FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
  return rows;
}

export async function finish(tx: Exec, id: string, status: 'sent' | 'failed' | 'not_sent', reason: string | null, attempted: boolean): Promise<void> {
  await tx.execute(sql`
    UPDATE outbox SET status = ${status}, reason = ${reason}, attempts = attempts + ${attempted ? 1 : 0}, updated_at = now(),
                      sent_at = ${status === 'sent' ? sql`now()` : sql`NULL`}
    WHERE id = ${id}`);
}

export async function retryLater(tx: Exec, id: string, reason: string, delaySeconds: number): Promise<void> {
  await tx.execute(sql`
    UPDATE outbox SET attempts = attempts + 1, reason = ${reason}, updated_at = now(),
                      next_attempt_at = now() + make_interval(secs => ${delaySeconds})
    WHERE id = ${id}`);
}

export async function outboxCounts(db: Exec): Promise<Record<OutboxStatus, number>> {
  const { rows } = await db.execute<{ status: OutboxStatus; n: number }>(sql`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, not_sent: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export async function recentOutbox(db: Exec, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.execute<OutboxRow>(sql`
    SELECT id, channel, account_id, body, status, reason, attempts, created_at, updated_at, sent_at
    FROM outbox ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
  return rows;
}

export type ContactGroupRow = { person_id: string; name: string; has_qr: boolean; updated_at: string };

export async function contactGroupOf(db: Exec, personId: string): Promise<ContactGroupRow | null> {
  const { rows } = await db.execute<ContactGroupRow>(sql`
    SELECT person_id, name, qr_bytes IS NOT NULL AS has_qr, updated_at FROM contact_groups WHERE person_id = ${personId}`);
  return rows[0] ?? null;
}

export async function contactGroupsOf(db: Exec, personIds: string[]): Promise<{ person_id: string; name: string; qr_mime: string | null; qr_bytes: Buffer | null }[]> {
  if (!personIds.length) return [];
  const { rows } = await db.execute<{ person_id: string; name: string; qr_mime: string | null; qr_bytes: Buffer | null }>(sql`
    SELECT person_id, name, qr_mime, qr_bytes FROM contact_groups
    WHERE person_id IN (${sql.join(personIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
  return rows;
}

export async function contactGroupQr(db: Exec, personId: string): Promise<{ qr_mime: string; qr_bytes: Buffer } | null> {
  const { rows } = await db.execute<{ qr_mime: string; qr_bytes: Buffer }>(sql`
    SELECT qr_mime, qr_bytes FROM contact_groups WHERE person_id = ${personId} AND qr_bytes IS NOT NULL`);
  return rows[0] ?? null;
}

/** Locks the person's row for the change (two saves at once: one after the other), returning what was there. */
export async function lockContactGroup(tx: Exec, personId: string): Promise<ContactGroupRow | null> {
  const { rows } = await tx.execute<ContactGroupRow>(sql`
    SELECT person_id, name, qr_bytes IS NOT NULL AS has_qr, updated_at FROM contact_groups WHERE person_id = ${personId} FOR UPDATE`);
  return rows[0] ?? null;
}

export async function upsertName(tx: Exec, personId: string, name: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO contact_groups (person_id, name) VALUES (${personId}, ${name})
    ON CONFLICT (person_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()`);
}

export async function setQr(tx: Exec, personId: string, mime: string, bytes: Buffer): Promise<boolean> {
  const r = await tx.execute(sql`
    UPDATE contact_groups SET qr_mime = ${mime}, qr_bytes = ${bytes}, updated_at = now() WHERE person_id = ${personId}`);
  return (r.rowCount ?? 0) > 0;
}

export async function deleteContactGroup(tx: Exec, personId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM contact_groups WHERE person_id = ${personId}`);
}
