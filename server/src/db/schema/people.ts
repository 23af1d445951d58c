import { boolean, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from './orgs.ts';

/** Party members (党员) and non-party helpers (志愿者, 积极分子, 非党干部…); both belong to a branch org. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    kind: text('kind').notNull(), // 'member' | 'helper'
    name: text('name').notNull(),
    /** Lowercase pinyin initials of the name, for search ("lxy" → 李秀英); null = written before it existed (filled at boot). */
    nameInitials: text('name_initials'),
    sex: text('sex').notNull(), // 'M' | 'F'
    birthYear: text('birth_year'),
    /** Published work phone, printed on contact cards: public by design, unlike residents' phones. */
    workPhone: text('work_phone'),
    memberSince: date('member_since'),
    helperKind: text('helper_kind'),
    /** 流动党员 / 双报到 flags for members. */
    mobile: boolean('mobile').notNull().default(false),
    /** 双报到: registered with the community where they live as well as their own branch. */
    dualRegistered: boolean('dual_registered').notNull().default(false),
    /** The grid (org of level 'grid' under the branch's village) the person works in; null = not assigned. */
    gridId: uuid('grid_id').references(() => orgs.id),
    /** Personal mobile: encrypted (lib/crypto.ts), keyed hash for duplicates/lookup, last 4 digits for search and masks. */
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneTail: text('phone_tail'),
    /** Left the roster: 'transferred_out' | 'died' | 'removed'; the row stays so history (links, visits) keeps its owner. */
    leftOn: date('left_on'),
    leftReason: text('left_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    synthetic: boolean('synthetic').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('people_org_idx').on(t.orgId, t.kind),
    index('people_initials_idx').on(t.nameInitials.op('text_pattern_ops')),
    index('people_grid_idx').on(t.gridId),
    index('people_phone_hash_idx').on(t.phoneHash),
  ],
);
