import { sql } from 'drizzle-orm';
import { check, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { businesses, households } from './households.ts';

/**
 * 联系卡: one row per printed card. The QR carries the card's id signed with a key derived from the keyring, so a
 * token cannot be forged or guessed; reprinting a constituent's card revokes the previous row (revoked_at), which is
 * how a lost or outdated card stops working. At most one live card per constituent, enforced by the database.
 */
export const contactCards = pgTable(
  'contact_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id').references(() => households.id),
    businessId: uuid('business_id').references(() => businesses.id),
    issuedBy: uuid('issued_by').references(() => accounts.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check('contact_cards_one_constituent', sql`num_nonnulls(${t.householdId}, ${t.businessId}) = 1`),
    uniqueIndex('contact_cards_household_live_key').on(t.householdId).where(sql`${t.revokedAt} IS NULL AND ${t.householdId} IS NOT NULL`),
    uniqueIndex('contact_cards_business_live_key').on(t.businessId).where(sql`${t.revokedAt} IS NULL AND ${t.businessId} IS NOT NULL`),
  ],
);
