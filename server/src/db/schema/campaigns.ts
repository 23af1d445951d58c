import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { households } from './households.ts';
import { orgs } from './orgs.ts';
import { people } from './people.ts';

/**
 * 集中走访: a round of visits over a scope (zone, town or village) within [starts_on, ends_on]; `deadline` drives the
 * reminders. The filter (kinds, tag, away_only) is kept as chosen; the targets it selected are snapshotted in
 * campaign_targets when the campaign is created. A closed campaign's progress is frozen (visits after close do not move it).
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    /** household | enterprise | shop */
    kinds: text('kinds').array().notNull(),
    tag: text('tag'),
    awayOnly: boolean('away_only').notNull().default(false),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    deadline: date('deadline').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => accounts.id),
    createdBy: uuid('created_by').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('campaigns_window', sql`${t.startsOn} <= ${t.deadline} AND ${t.deadline} <= ${t.endsOn}`),
    index('campaigns_org_idx').on(t.orgId, t.startsOn),
  ],
);

/**
 * The campaign's targets as selected at creation: a household, enterprise or shop (target_id = its id), or an away
 * resident of a targeted household (target_id = the resident's id, kind 'away_resident'), each with its village and the
 * primary member who held it then (null = 未联户). `visits` = qualifying visits in the window so far, recounted from the
 * visits when their changes are drained (a correction that moves a visit out of the window takes it back): the target is visited while visits > 0. `seq` orders the pending
 * list as people read it (village, kind, address) and is its keyset.
 */
export const campaignTargets = pgTable(
  'campaign_targets',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    targetId: uuid('target_id').notNull(),
    /** household | enterprise | shop | away_resident */
    kind: text('kind').notNull(),
    /** For an away resident: their household. */
    householdId: uuid('household_id').references(() => households.id),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    personId: uuid('person_id').references(() => people.id),
    seq: integer('seq').notNull(),
    visits: integer('visits').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.targetId] }),
    // A visit finds its targets across the open campaigns by constituent or resident id.
    index('campaign_targets_target_idx').on(t.targetId),
    index('campaign_targets_pending_idx').on(t.campaignId, t.seq).where(sql`${t.visits} = 0`),
    index('campaign_targets_person_idx').on(t.campaignId, t.personId, t.seq),
  ],
);

/** Progress per campaign × village: a level's figures sum ≤ 557 rows, never the targets or the visits. */
export const campaignVillageProgress = pgTable(
  'campaign_village_progress',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    total: integer('total').notNull().default(0),
    visited: integer('visited').notNull().default(0),
    awayTotal: integer('away_total').notNull().default(0),
    awayReached: integer('away_reached').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.orgId] })],
);

/** Progress per campaign × member × village (the member who held each target at creation). */
export const campaignMemberProgress = pgTable(
  'campaign_member_progress',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').notNull().references(() => people.id),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    total: integer('total').notNull().default(0),
    visited: integer('visited').notNull().default(0),
    awayTotal: integer('away_total').notNull().default(0),
    awayReached: integer('away_reached').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.personId, t.orgId] }), index('campaign_member_progress_org_idx').on(t.campaignId, t.orgId)],
);
