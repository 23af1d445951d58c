import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * The address as search compares it (lib/address.ts; SQL function lx_address_norm in migration 0008), derived by
     * the database; in collation lx_natural (ICU numeric), so ordering by it reads 1号, 2号, 10号 and 三组 with 3组.
     */
    addressNorm: text('address_norm').notNull().generatedAlwaysAs(sql`lx_address_norm(address)`),
    headName: text('head_name').notNull(),
    /** Lowercase pinyin initials of the head's name, for "wjg" → 王建国. */
    headInitials: text('head_initials').notNull().default(''),
    tags: text('tags').array().notNull().default([]),
    away: boolean('away').notNull().default(false),
    synthetic: boolean('synthetic').notNull().default(false),
    /** Households are never deleted (links and matters keep pointing at them); they are marked removed. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('households_org_idx').on(t.orgId),
    index('households_tags_idx').using('gin', t.tags),
    index('households_initials_idx').on(t.headInitials.op('text_pattern_ops')),
    // Lists sort by village, then address as people read it (keyset paging on the same key).
    index('households_org_address_idx').on(t.orgId, t.addressNorm, t.id),
  ],
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
    /**
     * Last 4 digits of the phone, for search by 尾号: already shown to every reader in the mask 138****5678, so storing
     * them in clear exposes nothing new. Written with the phone; rows written without it are filled at boot and after
     * imports (households.service fillPhoneTails).
     */
    phoneTail: text('phone_tail'),
    /** null = at home; otherwise 'city' | 'province' | 'abroad' (在外). */
    awayScope: text('away_scope'),
    awayPlace: text('away_place'),
    synthetic: boolean('synthetic').notNull().default(false),
    /** A resident who moved out or died stays on record with the date and reason. */
    leftOn: date('left_on'),
    leftReason: text('left_reason'),
  },
  (t) => [
    index('residents_household_idx').on(t.householdId),
    index('residents_phone_tail_idx').on(t.phoneTail).where(sql`${t.phoneTail} IS NOT NULL AND ${t.leftOn} IS NULL`),
    // Rows still waiting for their tail (written before it existed): the boot's fill finds them without a scan.
    index('residents_phone_tail_missing_idx').on(t.id).where(sql`${t.phoneTail} IS NULL AND ${t.phoneEnc} IS NOT NULL`),
    // One living registration per ID number: duplicates are rejected by the database, not only by the service.
    uniqueIndex('residents_id_hash_key').on(t.idNumberHash).where(sql`${t.leftOn} is null`),
  ],
);

/** The vulnerability-tag dictionary (困难群体/特殊群体): configuration, not constants. */
export const tagDefinitions = pgTable('tag_definitions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** Other words people write for this tag (低保户 for 低保, 五保户 for 特困); accepted on input, never stored. */
  aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
  vulnerable: boolean('vulnerable').notNull().default(true),
  sortKey: integer('sort_key').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

/** Enterprises (企业), individual businesses/shops (个体工商户) and enterprise work teams (班组). */
export const businesses = pgTable(
  'businesses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(), // 'enterprise' | 'shop' | 'team'
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    gridId: uuid('grid_id').references(() => orgs.id),
    /** A team belongs to an enterprise. */
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    nameInitials: text('name_initials').notNull().default(''),
    address: text('address').notNull(),
    addressNorm: text('address_norm').notNull().generatedAlwaysAs(sql`lx_address_norm(address)`),
    /** 统一社会信用代码 (GB 32100), public business data. */
    creditCode: text('credit_code'),
    contactName: text('contact_name'),
    contactPhoneEnc: text('contact_phone_enc'),
    /** Last 4 digits of the contact phone (visible in its mask anyway), for search by 尾号; see residents.phoneTail. */
    contactPhoneTail: text('contact_phone_tail'),
    employees: integer('employees'),
    synthetic: boolean('synthetic').notNull().default(false),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('businesses_org_idx').on(t.orgId, t.kind),
    index('businesses_org_address_idx').on(t.orgId, t.addressNorm, t.id),
    index('businesses_phone_tail_idx').on(t.contactPhoneTail).where(sql`${t.contactPhoneTail} IS NOT NULL`),
    // One live registration per credit code, enforced by the database: the service's advisory lock serializes its own
    // check-then-insert, but an import's merge inserts thousands of codes at once and cannot hold a lock per code.
    uniqueIndex('businesses_credit_code_live_key').on(t.creditCode).where(sql`${t.removedAt} IS NULL AND ${t.creditCode} IS NOT NULL`),
  ],
);
