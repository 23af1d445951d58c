import { sql } from 'drizzle-orm';
import { date, index, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { orgs } from './orgs.ts';
import { people } from './people.ts';

/**
 * 网格长: the member of the village's branch who leads a grid, over [starts_on, ends_on). A table rather than a column
 * on orgs: orgs cannot reference people without an import cycle between the schema files (people → orgs), and ending
 * a row instead of overwriting a column keeps who led the grid when — the same rule as org_history and links.
 */
export const gridLeaders = pgTable(
  'grid_leaders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    gridId: uuid('grid_id').notNull().references(() => orgs.id),
    personId: uuid('person_id').notNull().references(() => people.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on'),
    createdBy: uuid('created_by').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grid_leaders_current_key').on(t.gridId).where(sql`${t.endsOn} IS NULL`),
    index('grid_leaders_person_idx').on(t.personId),
  ],
);
