import { z } from 'zod';
import { inputText, noNul, NUL_MESSAGE } from './text.ts';
import { orgLevel } from './orgs.ts';

export const roles = ['member', 'secretary', 'town', 'office', 'department', 'leader', 'admin'] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;

export const loginBody = z
  .object({
    username: inputText(1, 64),
    password: z.string().min(1).max(256).refine(noNul, NUL_MESSAGE),
    /** Only for accounts with a second factor: the authenticator's 6-digit code or one of the recovery codes. */
    totpCode: z.string().trim().min(1).max(32).refine(noNul, NUL_MESSAGE).optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof loginBody>;

export const roleGrant = z.object({
  role,
  orgCode: z.string(),
  orgName: z.string(),
  orgLevel,
});
export type RoleGrant = z.infer<typeof roleGrant>;

/**
 * What the caller may do beyond reading their scope, computed by the server from their grants (auth/scope.ts
 * abilitiesOf): the web shows navigation and controls from these, never from role names.
 */
export const abilities = [
  'accounts.manage', // 账号管理: create, disable, reset accounts inside the caller's scope
  'roster.read', // 党员名册
  'roster.write',
  'grids.manage', // 网格
  'settings.manage', // 设置: target load, tag dictionary, retention
  'orgs.restructure', // 组织调整: rename, move, merge
  'audit.read', // 审计查询
  'system.admin', // 系统: scheduled jobs, backups
  'visits.record', // 走访: record one's own visits (members, helpers with accounts)
  'visits.proxy', // 代录: record visits on behalf of the branch's members
  'visits.rules', // 走访规则: edit the visit rules of the caller's scope
  'campaigns.read', // 集中走访: progress
  'campaigns.manage', // 集中走访: create and close campaigns in the caller's scope
] as const;
export const ability = z.enum(abilities);
export type Ability = z.infer<typeof ability>;

export const me = z.object({
  account: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  roles: z.array(roleGrant),
  /** Orgs at the top of the caller's scope: the tree starts here. */
  scopeRoots: z.array(z.object({ code: z.string(), name: z.string(), level: orgLevel })),
  /** Send back as the `x-csrf-token` header on every write made with the session cookie. */
  csrfToken: z.string(),
  session: z.object({ expiresAt: z.string(), idleExpiresAt: z.string() }),
  demo: z.boolean(),
  abilities: z.array(ability),
  /** Signed in with a one-time password: the web sends the user to /account/password; other APIs answer 403. */
  mustChangePassword: z.boolean(),
  /** The login-security policy requires a second factor for one of the roles and none is set up: /account first. */
  totpSetupRequired: z.boolean(),
  totpEnabled: z.boolean(),
});
export type Me = z.infer<typeof me>;
export const meBody = z.object({ data: me });

export const logoutBody = z.object({ everywhere: z.boolean().default(false) }).strict();
export const okBody = z.object({ data: z.object({ ok: z.literal(true) }) });

/** Passwords: the server checks the policy (length, strength) and answers its reason in Chinese. */
const passwordText = z.string().min(1).max(256).refine(noNul, NUL_MESSAGE);

export const changePasswordBody = z.object({ currentPassword: passwordText, newPassword: passwordText }).strict();
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

/** 我的账户: what the account page shows beyond /me. */
export const myAccount = z.object({
  /** The login before the current session (time and address), or null on the first one. */
  previousLogin: z.object({ at: z.string(), ip: z.string().nullable() }).nullable(),
  passwordChangedAt: z.string().nullable(),
  totp: z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int() }),
});
export type MyAccount = z.infer<typeof myAccount>;
export const myAccountBody = z.object({ data: myAccount });

export const sessionInfo = z.object({
  /** Opaque, stable for the session's life; not the cookie's token. */
  id: z.string(),
  /** From the user agent, e.g. "Chrome · Windows", "微信 · Android". */
  device: z.string(),
  ip: z.string().nullable(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;
export const sessionListBody = z.object({ data: z.array(sessionInfo) });
export const revokedBody = z.object({ data: z.object({ revoked: z.number().int() }) });

const totpCode = z.string().trim().regex(/^\d{6}$/, '请输入 6 位数字动态验证码');
export const totpSetup = z.object({
  /** otpauth:// URI for authenticator apps; the QR code carries the same. */
  uri: z.string(),
  /** The secret in Base32, for typing into an app that cannot scan. */
  secret: z.string(),
  /** The QR code as an SVG data URL. */
  qr: z.string(),
});
export type TotpSetup = z.infer<typeof totpSetup>;
export const totpSetupBody = z.object({ data: totpSetup });
export const totpEnableBody = z.object({ code: totpCode }).strict();
export type TotpEnableBody = z.infer<typeof totpEnableBody>;
export const recoveryCodesBody = z.object({ data: z.object({ recoveryCodes: z.array(z.string()) }) });
export const totpDisableBody = z.object({ password: passwordText, code: z.string().trim().min(1).max(32).refine(noNul, NUL_MESSAGE) }).strict();
export type TotpDisableBody = z.infer<typeof totpDisableBody>;

/** Roles that may reveal personal data: the login-security policy may require a second factor for them. */
export const totpPolicyRoles = ['office', 'town', 'secretary'] as const;
export const loginPolicy = z.object({ requireTotpRoles: z.array(z.enum(totpPolicyRoles)).max(3) }).strict();
export type LoginPolicy = z.infer<typeof loginPolicy>;
export const loginPolicyBody = z.object({ data: loginPolicy.extend({ canEdit: z.boolean() }) });
