import { z } from 'zod';
import { role } from './auth.ts';
import { orgCode, orgLevel } from './orgs.ts';
import { cursorText, inputText } from './text.ts';

/**
 * Account administration (server: modules/accounts). Every route answers only accounts the caller may manage
 * (accounts.policy.ts): admin and office the zone, a town its town, a secretary the member accounts of their branch.
 */
export const accountStatusFilters = ['active', 'disabled', 'never_logged_in', 'must_change'] as const;
export const accountStatusFilter = z.enum(accountStatusFilters);
export type AccountStatusFilter = z.infer<typeof accountStatusFilter>;

/** Usernames: letters, digits, . _ - (a mobile number is the natural default); unique ignoring case. */
export const accountUsername = z.string().trim().min(3, '用户名至少 3 个字符').max(64)
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能包含字母、数字和 . _ -');

export const accountRoleInput = z.object({ role, orgCode }).strict();
export type AccountRoleInput = z.infer<typeof accountRoleInput>;

export const accountRole = z.object({ role, orgCode: z.string(), orgName: z.string(), orgLevel });

export const managedAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** The member or helper the account belongs to; null for staff. */
  person: z.object({ id: z.string(), name: z.string(), kind: z.enum(['member', 'helper']), orgCode: z.string(), orgName: z.string() }).nullable(),
  roles: z.array(accountRole),
  disabled: z.boolean(),
  disabledReason: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ManagedAccount = z.infer<typeof managedAccount>;
export const managedAccountBody = z.object({ data: managedAccount });

export const accountListQuery = z.object({
  /** Accounts with a role (or a person) in this org's subtree. */
  org: orgCode.optional(),
  role: role.optional(),
  status: accountStatusFilter.optional(),
  /** Username, display name or person name (part of). */
  q: inputText(1, 40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorText.optional(),
}).strict();
export type AccountListQuery = z.infer<typeof accountListQuery>;
export const accountList = z.object({ data: z.array(managedAccount), nextCursor: z.string().nullable() });
export type AccountList = z.infer<typeof accountList>;

export const accountCreate = z.object({
  username: accountUsername,
  /** A member or helper in the caller's scope; omitted for staff (then displayName is required). */
  personId: z.uuid().optional(),
  displayName: inputText(1, 40).optional(),
  roles: z.array(accountRoleInput).min(1, '至少授予一个角色').max(20),
}).strict();
export type AccountCreate = z.infer<typeof accountCreate>;

export const accountUpdate = z.object({
  displayName: inputText(1, 40).optional(),
  roles: z.array(accountRoleInput).min(1, '至少保留一个角色').max(20).optional(),
}).strict();
export type AccountUpdate = z.infer<typeof accountUpdate>;

export const accountDisableBody = z.object({ reason: inputText(1, 200).optional() }).strict();

/** Creating or resetting answers the one-time password once: it is never stored in clear nor shown again. */
export const accountWithPassword = z.object({ data: z.object({ account: managedAccount, oneTimePassword: z.string() }) });
export type AccountWithPassword = z.infer<typeof accountWithPassword>['data'];

export const accountSessionsEnded = z.object({ data: z.object({ account: managedAccount, endedSessions: z.number().int() }) });

/** What the caller may grant: each role with the orgs it may be bound to (the web offers only these). */
export const grantableRoles = z.object({
  data: z.array(z.object({ role, orgs: z.array(z.object({ code: z.string(), name: z.string(), level: orgLevel })) })),
});
export type GrantableRoles = z.infer<typeof grantableRoles>['data'];

/** People in the caller's scope for the create dialog's picker; `hasAccount` marks those who already have one. */
export const accountPeopleQuery = z.object({ q: inputText(1, 40).optional(), org: orgCode.optional() }).strict();
export const accountPeople = z.object({
  data: z.array(z.object({
    id: z.string(), name: z.string(), kind: z.enum(['member', 'helper']), orgCode: z.string(), orgName: z.string(),
    /** A suggested username: the person's mobile when it is free, else pinyin + digits. */
    suggestedUsername: z.string(), hasAccount: z.boolean(),
  })),
});
export type AccountPerson = z.infer<typeof accountPeople>['data'][number];

/** 为本支部（本镇）党员开通账号: members in scope under orgCode without an account. */
export const bulkOpenBody = z.object({ orgCode }).strict();
export const resetPrintBody = z.object({ ids: z.array(z.uuid()).min(1, '请至少选择一个账号').max(500) }).strict();
/**
 * The batch's 开通通知单 (PDF with the one-time passwords) is downloadable once, within 60 s, with `token`
 * (`GET /api/v1/accounts/slips?token=`); null when nobody needed an account.
 */
export const slipBatch = z.object({
  data: z.object({
    batchId: z.string(),
    created: z.number().int(),
    download: z.object({ token: z.string(), expiresAt: z.string() }).nullable(),
  }),
});
export type SlipBatch = z.infer<typeof slipBatch>['data'];
export const slipQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, '下载令牌无效') }).strict();
