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
});
export type Me = z.infer<typeof me>;
export const meBody = z.object({ data: me });

export const logoutBody = z.object({ everywhere: z.boolean().default(false) }).strict();
export const okBody = z.object({ data: z.object({ ok: z.literal(true) }) });
