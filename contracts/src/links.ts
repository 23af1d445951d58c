import { z } from 'zod';
import { inputText, cursorText } from './text.ts';
import { isoDate } from './constituents.ts';
import { orgCode, orgLevel } from './orgs.ts';

export const linkRoles = ['primary', 'helper'] as const;
export const linkEndReasons = ['moved', 'transferred', 'died', 'reassigned', 'constituent_left', 'other'] as const;
/**
 * Reasons the server sets itself (never chosen in a form): `assignment_undone` — a one-click assignment taken back by
 * 撤销 within minutes; the link is ended the same day, never deleted, so history stays honest.
 */
export const linkSystemEndReasons = ['assignment_undone'] as const;
/** How long after a one-click assignment its 撤销 is offered and accepted. */
export const LINK_UNDO_MINUTES = 10;

/** A constituent reference: exactly one of householdId / businessId. */
const constituentRef = z.object({ householdId: z.uuid().optional(), businessId: z.uuid().optional() });

export const link = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  personKind: z.enum(['member', 'helper']),
  householdId: z.string().nullable(),
  businessId: z.string().nullable(),
  constituentName: z.string(),
  constituentKind: z.enum(['household', 'enterprise', 'shop', 'team']),
  orgCode: z.string(),
  role: z.enum(linkRoles),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type Link = z.infer<typeof link>;
export const linkList = z.object({ data: z.array(link), nextCursor: z.string().nullable() });
export const linkItem = z.object({ data: link });

export const linkListQuery = z
  .object({
    person: z.uuid().optional(),
    household: z.uuid().optional(),
    business: z.uuid().optional(),
    /** Include ended links (the history); default only active ones. */
    history: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict()
  .refine((q) => [q.person, q.household, q.business].filter(Boolean).length === 1, '请指定 person、household 或 business 之一');

export const linkCreate = constituentRef
  .extend({
    personId: z.uuid(),
    role: z.enum(linkRoles).default('primary'),
    startsOn: isoDate.optional(),
    /** When the constituent already has an active primary link: end it with this reason (reassignment). */
    replaceReason: z.enum(linkEndReasons).optional(),
  })
  .strict()
  .refine((b) => !!b.householdId !== !!b.businessId, '须且只能指定 householdId 或 businessId 之一');
export type LinkCreate = z.infer<typeof linkCreate>;

/** The caller's own active links (a member's 我联系的), counted by kind of constituent. */
export const myLinkCounts = z.object({
  data: z.object({ households: z.number().int(), enterprises: z.number().int(), shops: z.number().int(), teams: z.number().int(), businesses: z.number().int() }),
});
export type MyLinkCounts = z.infer<typeof myLinkCounts>['data'];

export const linkEnd = z.object({ on: isoDate.optional(), reason: z.enum(linkEndReasons) }).strict();

/** Move every active link of a member to another member (moved, transferred, died): old links end, new ones start. */
export const linkTransfer = z
  .object({ fromPersonId: z.uuid(), toPersonId: z.uuid(), reason: z.enum(linkEndReasons), on: isoDate.optional() })
  .strict();
export const transferResult = z.object({ data: z.object({ moved: z.number().int() }) });

export const linkBatch = z
  .object({ links: z.array(z.object({ personId: z.uuid(), householdId: z.uuid().optional(), businessId: z.uuid().optional() }).strict()).min(1).max(5000) })
  .strict();
export const batchResult = z.object({ data: z.object({ created: z.number().int() }) });

export const kindCoverage = z.object({ total: z.number().int(), linked: z.number().int(), unlinked: z.number().int(), rate: z.number() });
export const memberLoad = z.object({
  total: z.number().int(), under: z.number().int(), within: z.number().int(), over: z.number().int(),
  target: z.object({ min: z.number().int(), max: z.number().int() }),
});
export const coverageRow = z.object({
  code: z.string(),
  name: z.string(),
  level: orgLevel,
  households: kindCoverage,
  enterprises: kindCoverage,
  shops: kindCoverage,
  teams: kindCoverage,
  all: kindCoverage,
  members: memberLoad,
});
export type CoverageRow = z.infer<typeof coverageRow>;
export const coverage = z.object({ data: coverageRow.extend({ children: z.array(coverageRow), asOf: z.string() }) });
export type Coverage = z.infer<typeof coverage>['data'];
export const coverageQuery = z.object({ org: orgCode.optional() }).strict();

export const unlinkedQuery = z
  .object({
    org: orgCode.optional(),
    kind: z.enum(['household', 'enterprise', 'shop', 'team']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict();
export const unlinkedItem = z.object({
  householdId: z.string().nullable(),
  businessId: z.string().nullable(),
  kind: z.enum(['household', 'enterprise', 'shop', 'team']),
  name: z.string(),
  address: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  gridCode: z.string().nullable(),
});
export const unlinkedList = z.object({ data: z.array(unlinkedItem), nextCursor: z.string().nullable() });

export const memberWithLoad = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['member', 'helper']),
  orgCode: z.string(),
  orgName: z.string(),
  load: z.number().int(),
  loadStatus: z.enum(['under', 'within', 'over']),
});
export const memberList = z.object({ data: z.array(memberWithLoad), nextCursor: z.string().nullable() });
export const memberListQuery = z
  .object({
    org: orgCode.optional(),
    q: inputText(1, 40).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict();

export const suggestionsBody = z.object({ org: orgCode }).strict();
export const suggestion = z.object({
  personId: z.string(), personName: z.string(),
  householdId: z.string().nullable(), businessId: z.string().nullable(),
  constituentName: z.string(), orgCode: z.string(), gridCode: z.string().nullable(),
  reason: z.enum(['same_grid', 'same_village']),
});
export const suggestions = z.object({
  data: z.object({ suggestions: z.array(suggestion), unassigned: z.number().int(), target: z.object({ min: z.number().int(), max: z.number().int() }) }),
});
