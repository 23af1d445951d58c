import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';

/**
 * Outgoing messages (短信 / 企业微信), one row per message and channel: the in-app notification is the record, this is
 * the attempt to reach the person outside the app. The delivery job (modules/jobs, queue lianxin-outbox) sends pending
 * rows through the configured channel; with none configured the row ends `not_sent` with its reason ("未配置发送渠道"),
 * so nobody reads an unsent message as sent. `dedupe_key` = the notification's: a doubled job queues once.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** sms | wecom */
    channel: text('channel').notNull(),
    /** The account the message is for; the channel resolves its address (phone, WeCom user) when sending. */
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    body: text('body').notNull(),
    /** pending | sent | failed | not_sent */
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    /** A pending row is tried again from this time on (backoff after a failed attempt). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key').on(t.channel, t.dedupeKey),
    index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('outbox_created_idx').on(t.createdAt),
    check('outbox_status_check', sql`${t.status} IN ('pending', 'sent', 'failed', 'not_sent')`),
    check('outbox_channel_check', sql`${t.channel} IN ('sms', 'wecom')`),
  ],
);
