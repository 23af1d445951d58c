import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export interface NewNotification {
  accountId: string;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  /** Unique across all notifications: the same key twice notifies once. */
  dedupeKey: string;
}

/** Adds in-app notifications; a key already used is skipped (a retried or doubled job notifies once). Returns how many were new. */
export async function notify(db: Pick<Db, 'execute'>, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = sql.join(items.map((n) => sql`(${n.accountId}::uuid, ${n.kind}, ${n.title}, ${n.body ?? ''}, ${n.link ?? null}, ${n.dedupeKey})`), sql`, `);
  const r = await db.execute(sql`
    INSERT INTO notifications (account_id, kind, title, body, link, dedupe_key) VALUES ${rows}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return r.rowCount ?? 0;
}
