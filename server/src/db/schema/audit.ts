import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only: a trigger (migration 0001) rejects UPDATE, DELETE and TRUNCATE, so not even the application's own
 * database user can rewrite history.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorAccountId: uuid('actor_account_id'),
    actorUsername: text('actor_username'),
    action: text('action').notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_events_actor_idx').on(t.actorAccountId, t.at),
    index('audit_events_entity_idx').on(t.entityType, t.entityId),
    // Audit review (modules/audit): newest first over the whole trail or a time range, keyset on (at, id). Ascending:
    // read backwards it is ORDER BY at DESC, id DESC (drizzle's .desc() adds NULLS LAST, which that order cannot use).
    index('audit_events_at_idx').on(t.at, t.id),
    // An action exactly, or a prefix ('household.%'): text_pattern_ops serves both = and LIKE 'x%' in any collation.
    index('audit_events_action_idx').on(t.action.op('text_pattern_ops'), t.at),
    // "Everything from this address": rare per address, so the time index alone would read most of a month to find them.
    index('audit_events_ip_idx').on(t.ip, t.at),
  ],
);
