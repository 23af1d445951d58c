import { z } from 'zod';
import { inputText, cursorText } from './text.ts';
import { isoDate, phone, sexes } from './constituents.ts';
import { orgCode } from './orgs.ts';

/** 党员名册: party members (`member`) and helpers (`helper`: 志愿者, 积极分子, 非党干部) of a branch, a town or the zone. */
export const personKinds = ['member', 'helper'] as const;
export type PersonKind = (typeof personKinds)[number];
export const helperKinds = ['志愿者', '积极分子', '非党干部'] as const;
export type HelperKind = (typeof helperKinds)[number];
/** Why someone left the roster: 去世, 迁出 (to a branch outside the zone), 除名. */
export const leaveReasons = ['died', 'transferred_out', 'removed'] as const;
export type LeaveReason = (typeof leaveReasons)[number];
/** The person's login: none, active (has logged in), never logged in, or every account of theirs disabled. */
export const accountStatuses = ['none', 'active', 'never_logged_in', 'disabled'] as const;
export type AccountStatus = (typeof accountStatuses)[number];
export const personSorts = ['name', 'age', 'memberSince', 'load'] as const;
export type PersonSort = (typeof personSorts)[number];

export const person = z.object({
  id: z.string(),
  kind: z.enum(personKinds),
  helperKind: z.string().nullable(),
  name: z.string(),
  sex: z.enum(sexes),
  birthYear: z.string().nullable(),
  age: z.number().int().nullable(),
  /** 138****1234; the full number only through the audited reveal. */
  phoneMasked: z.string().nullable(),
  /** Published work phone (printed on contact cards): public by design. */
  workPhone: z.string().nullable(),
  memberSince: z.string().nullable(),
  mobile: z.boolean(),
  dualRegistered: z.boolean(),
  orgCode: z.string(),
  orgName: z.string(),
  gridCode: z.string().nullable(),
  gridName: z.string().nullable(),
  /** Current primary household links (the 5–20 target counts these) and where that puts the person. */
  load: z.number().int(),
  loadStatus: z.enum(['under', 'within', 'over']),
  accountStatus: z.enum(accountStatuses),
  leftOn: z.string().nullable(),
  leftReason: z.enum(leaveReasons).nullable(),
  synthetic: z.boolean(),
  abilities: z.object({ update: z.boolean(), reveal: z.boolean() }),
});
export type Person = z.infer<typeof person>;
export const personItem = z.object({ data: person });
export const personList = z.object({ data: z.array(person), nextCursor: z.string().nullable() });
export type PersonList = z.infer<typeof personList>;

const bool = z.enum(['true', 'false']);
/** The list's filters (also the export's). */
const personFilters = {
  /** Subtree root: a village (branch), a town or the zone; none = every root the caller reads. */
  org: orgCode.optional(),
  kind: z.enum(personKinds).default('member'),
  helperKind: z.enum(helperKinds).optional(),
  /** Name, pinyin initials ("lxy") or the phone's last 4 digits. */
  q: inputText(1, 40).optional(),
  mobile: bool.optional(),
  dual: bool.optional(),
  /** A grid's code, or `none` for people in no grid. */
  grid: z.union([orgCode, z.literal('none')]).optional(),
  account: z.enum(accountStatuses).optional(),
  load: z.enum(['under', 'within', 'over']).optional(),
  /** true: those who left the roster (去世, 迁出, 除名) instead of the current ones. */
  left: bool.optional(),
  sort: z.enum(personSorts).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
};
export const personListQuery = z
  .object({ ...personFilters, limit: z.coerce.number().int().min(1).max(200).default(50), cursor: cursorText.optional() })
  .strict();
export type PersonListQuery = z.infer<typeof personListQuery>;
export const personExportQuery = z.object(personFilters).strict();
export type PersonExportQuery = z.infer<typeof personExportQuery>;

const birthYear = z.string().regex(/^(19|20)\d{2}$/, '出生年份应为 4 位年份');
const personFields = {
  name: inputText(1, 40),
  sex: z.enum(sexes),
  birthYear: birthYear.nullable().optional(),
  phone: phone.nullable().optional(),
  workPhone: phone.nullable().optional(),
  memberSince: isoDate.nullable().optional(),
  helperKind: z.enum(helperKinds).nullable().optional(),
  mobile: z.boolean().optional(),
  dualRegistered: z.boolean().optional(),
  /** A grid of the person's village; null = none. */
  gridCode: orgCode.nullable().optional(),
};
export const personCreate = z.object({ orgCode, kind: z.enum(personKinds), ...personFields }).strict();
export type PersonCreate = z.infer<typeof personCreate>;
export const personUpdate = z.object(personFields).partial().strict();
export type PersonUpdate = z.infer<typeof personUpdate>;

/**
 * 转出到其他支部 (inside the zone): `linksTo` — a current member of the old branch who takes over the person's active
 * links; without it they end. The grid is cleared (grids belong to a village).
 */
export const personTransferBody = z.object({ orgCode, linksTo: z.uuid().optional(), on: isoDate.optional() }).strict();
export type PersonTransferBody = z.infer<typeof personTransferBody>;
/** 去世 / 迁出 / 除名: the person leaves the roster; links end with the reason, accounts are disabled. */
export const personLeaveBody = z.object({ on: isoDate, reason: z.enum(leaveReasons), note: inputText(0, 200).optional() }).strict();
export type PersonLeaveBody = z.infer<typeof personLeaveBody>;
export const personLeaveResult = z.object({ data: person.extend({ linksEnded: z.number().int(), accountsDisabled: z.number().int() }) });
export const personRevealBody = z.object({ reason: inputText(2, 200, '请填写查看原因') }).strict();
export const personRevealResult = z.object({ data: z.object({ field: z.literal('phone'), value: z.string().nullable() }) });
