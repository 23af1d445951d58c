import { boolean, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from './orgs.ts';

/**
 * The minimum the foundation needs for counts and demo data; the registry issue extends these tables.
 * ID numbers and phones are stored encrypted (AES-256-GCM, key id inside the value; lib/crypto.ts) with a keyed
 * hash (HMAC-SHA-256) for exact search and duplicate detection — never in clear.
 */
export const households = pgTable(
  'households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    gridId: uuid('grid_id').references(() => orgs.id),
    address: text('address').notNull(),
    headName: text('head_name').notNull(),
    tags: text('tags').array().notNull().default([]),
    away: boolean('away').notNull().default(false),
    synthetic: boolean('synthetic').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('households_org_idx').on(t.orgId)],
);

export const residents = pgTable(
  'residents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id').notNull().references(() => households.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sex: text('sex').notNull(),
    birthDate: date('birth_date').notNull(),
    relation: text('relation').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idNumberHash: text('id_number_hash').notNull(),
    phoneEnc: text('phone_enc'),
    /** null = at home; otherwise 'city' | 'province' | 'abroad' (在外). */
    awayScope: text('away_scope'),
    awayPlace: text('away_place'),
    synthetic: boolean('synthetic').notNull().default(false),
  },
  (t) => [index('residents_household_idx').on(t.householdId), index('residents_id_hash_idx').on(t.idNumberHash)],
);
