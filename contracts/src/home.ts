import { z } from 'zod';
import { importKinds } from './imports.ts';
import { role } from './auth.ts';
import { orgCode, orgLevel } from './orgs.ts';

/**
 * 工作台: each card of a role's home page has its own endpoint (`GET /api/v1/home/<card>`), so one slow or failing card
 * never blanks the page and adding a card is one route and one component. Every card reads rollups or one grouped
 * query, scoped to the caller; `org` narrows to an org inside the caller's scope (out of scope: 404).
 */
export const homeOrgQuery = z.object({ org: orgCode.optional() }).strict();
export type HomeOrgQuery = z.infer<typeof homeOrgQuery>;

const orgRef = z.object({ code: z.string(), name: z.string(), level: orgLevel });

/** 未联系对象: constituents without a primary member, by kind, from the coverage rollups. */
export const homeUnlinked = z.object({
  org: orgRef,
  total: z.number().int(),
  unlinked: z.number().int(),
  byKind: z.object({ households: z.number().int(), enterprises: z.number().int(), shops: z.number().int(), teams: z.number().int() }),
});
export type HomeUnlinked = z.infer<typeof homeUnlinked>;

const loadedMember = z.object({ id: z.string(), name: z.string(), load: z.number().int() });
/** 联户负担: members outside the target load (households linked as primary), the first few of each side by name. */
export const homeMemberLoads = z.object({
  org: orgRef,
  target: z.object({ min: z.number().int(), max: z.number().int() }),
  members: z.number().int(),
  over: z.number().int(),
  under: z.number().int(),
  overList: z.array(loadedMember),
  underList: z.array(loadedMember),
});
export type HomeMemberLoads = z.infer<typeof homeMemberLoads>;

/** 未开通账号的党员: current members (not left) with no account at all; the first names by name. */
export const homeMembersWithoutAccounts = z.object({
  org: orgRef,
  members: z.number().int(),
  withoutAccount: z.number().int(),
  names: z.array(z.string()),
});
export type HomeMembersWithoutAccounts = z.infer<typeof homeMembersWithoutAccounts>;

/** A recent import job in the org (only jobs the caller may open: their own, or any for the project office). */
export const homeImportJob = z.object({
  id: z.string(),
  kind: z.enum(importKinds),
  status: z.enum(['queued', 'validating', 'failed', 'merging', 'done']),
  fileName: z.string(),
  orgCode: z.string().nullable(),
  createdAt: z.string(),
});
/** 导入: jobs waiting (queued, validating, merging) and failed ones not redone since, in the last 14 days. */
export const homeImports = z.object({
  org: orgRef,
  waiting: z.number().int(),
  failed: z.number().int(),
  jobs: z.array(homeImportJob),
});
export type HomeImports = z.infer<typeof homeImports>;

/** One village (of a town) or town (of the zone) with the secretary's figures; rows come worst first. */
export const homeBreakdownRow = z.object({
  code: z.string(),
  name: z.string(),
  level: orgLevel,
  total: z.number().int(),
  unlinked: z.number().int(),
  /** Unlinked ÷ total (0 when there is nothing to link). */
  unlinkedShare: z.number(),
  members: z.number().int(),
  membersOver: z.number().int(),
  membersUnder: z.number().int(),
  withoutAccount: z.number().int(),
  importsFailed: z.number().int(),
  importsWaiting: z.number().int(),
});
export const homeBreakdown = z.object({ org: orgRef, rows: z.array(homeBreakdownRow) });
export type HomeBreakdown = z.infer<typeof homeBreakdown>;
export type HomeBreakdownRow = z.infer<typeof homeBreakdownRow>;

/** 我联系的: the caller's own active links (a member's home) and their load against the target. */
export const homeMyLinks = z.object({
  branch: orgRef.nullable(),
  counts: z.object({ households: z.number().int(), enterprises: z.number().int(), shops: z.number().int(), teams: z.number().int() }),
  /** Households linked as primary member, against the target. */
  load: z.number().int(),
  target: z.object({ min: z.number().int(), max: z.number().int() }),
  items: z.array(z.object({
    householdId: z.string().nullable(),
    businessId: z.string().nullable(),
    kind: z.enum(['household', 'enterprise', 'shop', 'team']),
    name: z.string(),
    role: z.enum(['primary', 'helper']),
  })),
  more: z.boolean(),
});
export type HomeMyLinks = z.infer<typeof homeMyLinks>;

/** The department's card: who it is and how residents and other orgs reach it (published numbers only). */
export const homeDepartment = z.object({
  departments: z.array(z.object({
    code: z.string(),
    name: z.string(),
    partyName: z.string().nullable(),
    parentName: z.string().nullable(),
    publicPhone: z.string().nullable(),
    members: z.number().int(),
  })),
});
export type HomeDepartment = z.infer<typeof homeDepartment>;

/** 账号概况: accounts in the caller's administration scope (no personal data: counts only). */
export const homeAccounts = z.object({
  total: z.number().int(),
  disabled: z.number().int(),
  neverLoggedIn: z.number().int(),
  mustChangePassword: z.number().int(),
  byRole: z.array(z.object({ role, accounts: z.number().int() })),
});
export type HomeAccounts = z.infer<typeof homeAccounts>;

export const homeUnlinkedBody = z.object({ data: homeUnlinked });
export const homeMemberLoadsBody = z.object({ data: homeMemberLoads });
export const homeMembersWithoutAccountsBody = z.object({ data: homeMembersWithoutAccounts });
export const homeImportsBody = z.object({ data: homeImports });
export const homeBreakdownBody = z.object({ data: homeBreakdown });
export const homeMyLinksBody = z.object({ data: homeMyLinks });
export const homeDepartmentBody = z.object({ data: homeDepartment });
export const homeAccountsBody = z.object({ data: homeAccounts });
