import { z } from 'zod';
import { constituentKinds, isoDate } from './constituents.ts';
import { itemUrgencies, raisedItemStatuses, visitChannel } from './visits.ts';

/**
 * 工作手册: one member's visits and the items raised in them over a period, with their current links and a summary —
 * what an elderly member's paper notebook holds, kept for them. `from`/`to` are Shanghai days, both included; omitted =
 * this month. At most a year plus a day (a year's handbook is the longest one printed).
 */
export const HANDBOOK_DAYS_MAX = 366;
export const handbookQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Keyset paging of the timeline (newest first); the summary always covers the whole period. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();
export type HandbookQuery = z.infer<typeof handbookQuery>;

/** The PDF: a calendar month (YYYY-MM) or a year (YYYY), exactly one. */
export const handbookPdfQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM').optional(),
  year: z.string().regex(/^\d{4}$/, '年份格式应为 YYYY').optional(),
}).strict().refine((q) => !!q.month !== !!q.year, '请指定月份（month）或年份（year）之一');
export type HandbookPdfQuery = z.infer<typeof handbookPdfQuery>;

export const handbookEntry = z.object({
  visitId: z.string(),
  visitedAt: z.string(),
  visitedOn: z.string(),
  channel: visitChannel,
  householdId: z.string().nullable(),
  businessId: z.string().nullable(),
  constituentName: z.string(),
  /** Residents who took part, by name. */
  residents: z.array(z.string()),
  notes: z.string(),
  /** 代录: entered by someone else (enteredByName) on the member's behalf. */
  proxy: z.boolean(),
  enteredByName: z.string(),
  /** helper: no link to the constituent then (协助走访). */
  basis: z.enum(['link', 'helper']),
  photos: z.number().int(),
  items: z.array(z.object({
    id: z.string(),
    categoryName: z.string(),
    description: z.string(),
    urgency: z.enum(itemUrgencies),
    status: z.enum(raisedItemStatuses),
  })),
});
export type HandbookEntry = z.infer<typeof handbookEntry>;

export const handbookLink = z.object({
  householdId: z.string().nullable(),
  businessId: z.string().nullable(),
  kind: z.enum(constituentKinds),
  name: z.string(),
  address: z.string(),
  /** primary = 联户党员, helper = 协助联系. */
  role: z.enum(['primary', 'helper']),
  startsOn: z.string(),
  /** This member's visits to it in the period, and their last visit ever (null = never). */
  visits: z.number().int(),
  lastVisitedOn: z.string().nullable(),
});
export type HandbookLink = z.infer<typeof handbookLink>;

export const handbook = z.object({
  person: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['member', 'helper']),
    branch: z.string(),
    town: z.string().nullable(),
    orgCode: z.string(),
  }),
  from: z.string(),
  to: z.string(),
  summary: z.object({
    visits: z.number().int(),
    byChannel: z.object({
      in_person: z.number().int(), evening: z.number().int(), phone: z.number().int(), wechat: z.number().int(), video: z.number().int(),
    }),
    /** Distinct households and businesses visited. */
    constituents: z.number().int(),
    proxy: z.number().int(),
    items: z.number().int(),
    openItems: z.number().int(),
    /** Current links whose constituent this member did not visit in the period. */
    notVisited: z.number().int(),
  }),
  links: z.array(handbookLink),
  timeline: z.array(handbookEntry),
  nextCursor: z.string().nullable(),
});
export type Handbook = z.infer<typeof handbook>;
export const handbookBody = z.object({ data: handbook });
