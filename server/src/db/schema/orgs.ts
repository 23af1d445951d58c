import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * One node = an administrative unit together with its party organization (../shared/ARCHITECTURE.md).
 * This table holds each org's *current* version; earlier versions live in org_history so "the tree as of a date"
 * can be answered while hot paths read one small table. `path` is the '/'-joined chain of codes from the root
 * (e.g. 419001000000/419001100000/419001100201) and is indexed with text_pattern_ops, so a subtree is one
 * index range scan on `path LIKE '<prefix>/%'`.
 */
export const orgs = pgTable(
  'orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    level: text('level').notNull(),
    adminKind: text('admin_kind'),
    partyKind: text('party_kind'),
    partyName: text('party_name'),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgs.id),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    urbanRuralCode: text('urban_rural_code'),
    /** Lowercase pinyin initials of shortName ("kjz" for 克井镇) and full pinyin, for search. */
    pinyinInitials: text('pinyin_initials').notNull(),
    pinyin: text('pinyin').notNull(),
    sortKey: integer('sort_key').notNull().default(0),
    validFrom: date('valid_from').notNull(),
    /** Set when the org ceased to exist (e.g. merged away); the row stays so history keeps its owner. */
    validTo: date('valid_to'),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => orgs.id),
    synthetic: boolean('synthetic').notNull().default(false),
    /**
     * The branch's published contact number (e.g. the village committee's office line), printed for residents — on the
     * public card page, live or revoked. Only a number the org publishes; never a member's personal phone.
     */
    publicPhone: text('public_phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orgs_code_key').on(t.code),
    index('orgs_path_idx').on(t.path.op('text_pattern_ops')),
    index('orgs_parent_idx').on(t.parentId, t.sortKey),
    index('orgs_pinyin_initials_idx').on(t.pinyinInitials.op('text_pattern_ops')),
  ],
);

/** Past versions of orgs rows: [validFrom, validTo) half-open ranges, written by the restructuring service. */
export const orgHistory = pgTable(
  'org_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    level: text('level').notNull(),
    parentId: uuid('parent_id').references(() => orgs.id),
    path: text('path').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    change: text('change').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_history_path_idx').on(t.path.op('text_pattern_ops')),
    index('org_history_org_idx').on(t.orgId, t.validFrom),
  ],
);

/**
 * Counts at the finest level (village, department, unit): towns and the zone sum ≤ 600 rows instead of scanning
 * people and households per request. Kept current by the services that write those tables (and rebuilt by seed).
 */
export const orgRollups = pgTable('org_rollups', {
  orgId: uuid('org_id').primaryKey().references(() => orgs.id),
  members: integer('members').notNull().default(0),
  households: integer('households').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
