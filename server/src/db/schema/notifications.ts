import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';

/**
 * In-app notifications (提醒), one row per recipient account. `dedupe_key` makes a job that runs twice (a retry, a second
 * server copy) notify once: e.g. `visit-due:<person>:<day>`, `campaign-deadline:<campaign>:<account>`.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    /** visit_due | visit_overdue | campaign_deadline | weekly_digest | … */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** A path inside the web app the notification opens (/today, /campaigns/…). */
    link: text('link'),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_account_idx').on(t.accountId, t.createdAt),
    index('notifications_unread_idx').on(t.accountId).where(sql`${t.readAt} IS NULL`),
  ],
);
