import { date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from './orgs.ts';

/**
 * 规则完成率: per village × rule period (period_kind 'month' | 'week', period_start = the month's first day or the week's
 * Monday), how many constituents a rule of that period applies to (`due`: households and businesses with a primary
 * link in the period, and the away residents of those households) and how many met it (`met`). A level's completion for a
 * month sums its villages' month row and the rows of the weeks starting in that month: O(villages), never O(visits).
 * A village's rows are recomputed when visit changes touching it are drained (modules/rules listens to visits, within
 * about a second), when a rule changes, and by the hourly job (links and registry changes reach `due` there).
 */
export const visitCompletion = pgTable(
  'visit_completion',
  {
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    periodKind: text('period_kind').notNull(),
    periodStart: date('period_start').notNull(),
    due: integer('due').notNull().default(0),
    met: integer('met').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.periodKind, t.periodStart] })],
);
