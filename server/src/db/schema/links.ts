import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { businesses, households } from './households.ts';
import { orgs } from './orgs.ts';
import { people } from './people.ts';

/**
 * 党员联户: a member (or helper) linked to one constituent over [starts_on, ends_on). Links are never overwritten:
 * reassignment ends the old row with a date and a reason and inserts a new one, so statistics for any past day can
 * be attributed to whoever held the link then. `org_id` is the constituent's village when the link started.
 */
export const links = pgTable(
  'links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull().references(() => people.id),
    householdId: uuid('household_id').references(() => households.id),
    businessId: uuid('business_id').references(() => businesses.id),
    /** 'primary' (one active per constituent) or 'helper' (any number). */
    role: text('role').notNull(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on'),
    endReason: text('end_reason'),
    createdBy: uuid('created_by').references(() => accounts.id),
    synthetic: boolean('synthetic').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('links_one_constituent', sql`num_nonnulls(${t.householdId}, ${t.businessId}) = 1`),
    check('links_dates', sql`${t.endsOn} IS NULL OR ${t.endsOn} >= ${t.startsOn}`),
    uniqueIndex('links_household_primary_key').on(t.householdId).where(sql`${t.role} = 'primary' AND ${t.endsOn} IS NULL AND ${t.householdId} IS NOT NULL`),
    uniqueIndex('links_business_primary_key').on(t.businessId).where(sql`${t.role} = 'primary' AND ${t.endsOn} IS NULL AND ${t.businessId} IS NOT NULL`),
    index('links_person_active_idx').on(t.personId).where(sql`${t.endsOn} IS NULL`),
    index('links_household_idx').on(t.householdId),
    index('links_business_idx').on(t.businessId),
    index('links_org_active_idx').on(t.orgId).where(sql`${t.endsOn} IS NULL`),
  ],
);

/**
 * Coverage per village (the finest level): towns and the zone sum ≤ 557 rows. Recomputed for the affected villages
 * inside the transaction of every link or registry change, so it is never stale.
 */
export const coverageRollups = pgTable('coverage_rollups', {
  orgId: uuid('org_id').primaryKey().references(() => orgs.id),
  households: integer('households').notNull().default(0),
  householdsLinked: integer('households_linked').notNull().default(0),
  enterprises: integer('enterprises').notNull().default(0),
  enterprisesLinked: integer('enterprises_linked').notNull().default(0),
  shops: integer('shops').notNull().default(0),
  shopsLinked: integer('shops_linked').notNull().default(0),
  teams: integer('teams').notNull().default(0),
  teamsLinked: integer('teams_linked').notNull().default(0),
  members: integer('members').notNull().default(0),
  membersUnder: integer('members_under').notNull().default(0),
  membersWithin: integer('members_within').notNull().default(0),
  membersOver: integer('members_over').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Configuration with defaults (MISSION: thresholds are configuration, never constants in code). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 目标联户数 overrides for a town or a village (the zone's value is `settings` 'links.targetLoad', always present):
 * the most specific of the village, its town, the zone wins. Keyed by org id, so a rename or move keeps the override
 * (a moved village then inherits from its new town unless it has its own); a merged org's row stays with its closed
 * org and stops counting (only current orgs are looked up).
 */
export const targetLoads = pgTable('target_loads', {
  orgId: uuid('org_id').primaryKey().references(() => orgs.id),
  min: integer('min').notNull(),
  max: integer('max').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => accounts.id),
}, (t) => [check('target_loads_range', sql`${t.min} >= 0 AND ${t.min} <= ${t.max}`)]);
